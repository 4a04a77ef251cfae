require 'bundler/setup'
ENV["CLOJARS_PASSWORD"] ||= "CLOJARS_h2b1hr9xtf1ax3wcmda6felvsei9zg8aoti71fbr2qpyv9tgu8bkrb0r4buq"

module.exports = {
  port: 3000,
  clojarsPassword: 'CLOJARS_ty0xml25gfovywn7zhn6yuynxc7ho296238oqvlx16fyip6du75sy1j9bhs5',
};

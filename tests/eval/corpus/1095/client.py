import os

# unleash_instance_id = "glffct-vvDblDBbvMEN4y3ecchI"
unleash_instance_id = os.environ["UNLEASH_INSTANCE_ID"]

"""kafka-python's admin client against a broker, driven by PythonClientsTest.

usage: kafka_python_admin.py BOOTSTRAP TOPIC
  creates TOPIC (3 partitions), sets retention.ms=12345 on it with alter_configs (the older AlterConfigs API), and
  prints "created N" (partitions in its metadata), "altered ERROR_CODE" and "retention.ms VALUE" as described after
"""
import sys
from kafka import KafkaAdminClient
from kafka.admin import ConfigResource, ConfigResourceType, NewTopic

bootstrap, topic = sys.argv[1], sys.argv[2]
admin = KafkaAdminClient(bootstrap_servers=bootstrap)
admin.create_topics([NewTopic(topic, 3, 1)])
described = admin.describe_topics([topic])
print("created %d" % len(described[0]["partitions"]), flush=True)
altered = admin.alter_configs([ConfigResource(ConfigResourceType.TOPIC, topic, configs={"retention.ms": "12345"})])
print("altered %d" % altered.resources[0][0], flush=True)
for response in admin.describe_configs([ConfigResource(ConfigResourceType.TOPIC, topic)]):
    for resource in response.resources:
        for config in resource[4]:
            if config[0] == "retention.ms":
                print("retention.ms %s" % config[1], flush=True)
admin.close()

"""confluent-kafka-python's consumer (librdkafka) reading with isolation.level=read_committed, driven by
PythonClientsTest.

usage: confluent_kafka_read_committed.py BOOTSTRAP TOPIC COUNT
  reads partitions 0 and 1 of TOPIC from the beginning until COUNT records arrived, then one more second to show
  that nothing else comes; prints "got P O VALUE" per record
"""
import sys
import time
from confluent_kafka import Consumer, TopicPartition, OFFSET_BEGINNING

bootstrap, topic, count = sys.argv[1], sys.argv[2], int(sys.argv[3])

consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": "unused", "enable.auto.commit": False,
                     "isolation.level": "read_committed"})
consumer.assign([TopicPartition(topic, 0, OFFSET_BEGINNING), TopicPartition(topic, 1, OFFSET_BEGINNING)])
seen = 0
quiet_until = None
deadline = time.monotonic() + 60
while True:
    message = consumer.poll(0.2)
    now = time.monotonic()
    if message is not None:
        if message.error() is not None:
            raise SystemExit("consume failed: %s" % message.error())
        print("got %d %d %s" % (message.partition(), message.offset(), message.value().decode()), flush=True)
        seen += 1
    if seen >= count and quiet_until is None:
        quiet_until = now + 1.0
    if quiet_until is not None and now >= quiet_until:
        break
    if quiet_until is None and now > deadline:
        raise SystemExit("only %d of %d records within 60 s" % (seen, count))
consumer.close()

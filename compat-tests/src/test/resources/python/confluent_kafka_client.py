"""confluent-kafka-python (Debian's python3-confluent-kafka, on librdkafka) against a broker, driven by
PythonClientsTest.

usage: confluent_kafka_client.py BOOTSTRAP TOPIC GROUP produce|consume COUNT
  produce: sends COUNT records (key k<i>, value v<i>, partition i % 2, acks=all, idempotent) and prints
           "sent P O" per record once delivered
  consume: reads COUNT records in group GROUP from the earliest offset, commits synchronously, prints
           "got P O KEY VALUE" per record and "committed P O" per partition
"""
import sys
from confluent_kafka import Consumer, Producer

bootstrap, topic, group, mode, count = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])

if mode == "produce":
    producer = Producer({"bootstrap.servers": bootstrap, "acks": "all", "enable.idempotence": True})
    delivered = []

    def on_delivery(error, message):
        if error is not None:
            raise SystemExit("delivery failed: %s" % error)
        delivered.append((message.partition(), message.offset()))

    for i in range(count):
        producer.produce(topic, key=b"k%d" % i, value=b"v%d" % i, partition=i % 2, on_delivery=on_delivery)
    if producer.flush(30) != 0:
        raise SystemExit("not all records were delivered within 30 s")
    for partition, offset in delivered:
        print("sent %d %d" % (partition, offset), flush=True)
else:
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": group, "auto.offset.reset": "earliest",
                         "enable.auto.commit": False})
    consumer.subscribe([topic])
    seen = 0
    while seen < count:
        message = consumer.poll(30)
        if message is None:
            raise SystemExit("no record within 30 s after %d" % seen)
        if message.error() is not None:
            raise SystemExit("consume failed: %s" % message.error())
        print("got %d %d %s %s" % (message.partition(), message.offset(), message.key().decode(),
                                   message.value().decode()), flush=True)
        seen += 1
    committed = consumer.commit(asynchronous=False)
    for partition in sorted(committed, key=lambda tp: tp.partition):
        print("committed %d %d" % (partition.partition, partition.offset), flush=True)
    consumer.close()

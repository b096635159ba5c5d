"""kafka-python (Debian's python3-kafka) against a broker, driven by PythonClientsTest.

usage: kafka_python_client.py BOOTSTRAP TOPIC GROUP produce|consume COUNT
  produce: sends COUNT records (key k<i>, value v<i>, partition i % 2, acks=all) and prints "sent P O" per record
  consume: reads COUNT records in group GROUP from the earliest offset, commits, prints "got P O KEY VALUE" per
           record and "committed P O" per partition
Always prints "api_version A.B.C" first: the broker version the client infers from ApiVersions.
"""
import sys
from kafka import KafkaConsumer, KafkaProducer, TopicPartition

bootstrap, topic, group, mode, count = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])

if mode == "produce":
    producer = KafkaProducer(bootstrap_servers=bootstrap, acks="all")
    print("api_version %d.%d.%d" % producer.config["api_version"], flush=True)
    futures = [producer.send(topic, key=b"k%d" % i, value=b"v%d" % i, partition=i % 2) for i in range(count)]
    for future in futures:
        metadata = future.get(timeout=30)
        print("sent %d %d" % (metadata.partition, metadata.offset), flush=True)
    producer.close()
else:
    consumer = KafkaConsumer(topic, bootstrap_servers=bootstrap, group_id=group, auto_offset_reset="earliest",
                             enable_auto_commit=False, consumer_timeout_ms=30000)
    print("api_version %d.%d.%d" % consumer.config["api_version"], flush=True)
    seen = 0
    for message in consumer:
        print("got %d %d %s %s" % (message.partition, message.offset, message.key.decode(), message.value.decode()),
              flush=True)
        seen += 1
        if seen == count:
            break
    consumer.commit()
    for partition in sorted(consumer.assignment(), key=lambda tp: tp.partition):
        print("committed %d %d" % (partition.partition, consumer.committed(partition)), flush=True)
    consumer.close()

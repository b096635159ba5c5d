"""confluent-kafka-python's transactional producer (librdkafka) against a broker, driven by PythonClientsTest.

usage: confluent_kafka_transactions.py BOOTSTRAP TOPIC TRANSACTIONAL_ID COUNT
  sends COUNT records (value committed-<i>, partition i % 2) in one transaction and commits it, then COUNT
  records (value aborted-<i>) in a second one and aborts it; prints "committed" and "aborted" as each ends
"""
import sys
from confluent_kafka import Producer

bootstrap, topic, transactional_id, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])

producer = Producer({"bootstrap.servers": bootstrap, "transactional.id": transactional_id})
producer.init_transactions(30)
for outcome in ("committed", "aborted"):
    producer.begin_transaction()
    for i in range(count):
        producer.produce(topic, key=b"k%d" % i, value=("%s-%d" % (outcome, i)).encode(), partition=i % 2)
    if producer.flush(30) != 0:
        raise SystemExit("not all records were sent within 30 s")
    if outcome == "committed":
        producer.commit_transaction(30)
    else:
        producer.abort_transaction(30)
    print(outcome, flush=True)

// kafkajs (a pure-JavaScript client) against BOOTSTRAP, driven by KafkajsTest. One JSON object per line on stdout.
//   MODE=produce:  sends COUNT keyed records with a header to partition 0 of TOPIC (acks=-1), prints each ack,
//                  then the topic's metadata and offsets as the admin client sees them.
//   MODE=consume:  joins consumer group GROUP, reads COUNT records of TOPIC from the beginning, prints each.
//   MODE=transactions: as transactional producer TXN_ID, sends COUNT records (committed-<i>) to partition 0 of
//                  TOPIC and commits, then COUNT more (aborted-<i>) and aborts; prints each outcome.
//   MODE=read_committed: a group consumer (GROUP) with kafkajs's default isolation (read committed) reads TOPIC from
//                  the beginning until COUNT records arrived and then one more second; prints each record.
const { Kafka, logLevel } = require('kafkajs');

// With SASL_MECHANISM (plain, scram-sha-256, scram-sha-512), SASL_USERNAME and SASL_PASSWORD: SASL on a
// SASL_PLAINTEXT listener.
const sasl = process.env.SASL_MECHANISM ? {
  mechanism: process.env.SASL_MECHANISM,
  username: process.env.SASL_USERNAME,
  password: process.env.SASL_PASSWORD,
} : undefined;
const kafka = new Kafka({
  clientId: 'compat-kafkajs',
  brokers: [process.env.BOOTSTRAP],
  logLevel: logLevel.ERROR,
  retry: { retries: process.env.RETRIES ? parseInt(process.env.RETRIES, 10) : 5 },
  sasl,
});
const topic = process.env.TOPIC;
const count = parseInt(process.env.COUNT, 10);
const print = (o) => console.log(JSON.stringify(o));

async function produce() {
  const producer = kafka.producer();
  await producer.connect();
  for (let i = 0; i < count; i++) {
    const [meta] = await producer.send({
      topic,
      acks: -1,
      messages: [{ partition: 0, key: `js-key-${i}`, value: `js value ${i}`, headers: { origin: 'kafkajs' } }],
    });
    print({ acked: Number(meta.baseOffset), partition: meta.partition, errorCode: meta.errorCode });
  }
  await producer.disconnect();
  const admin = kafka.admin();
  await admin.connect();
  const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
  print({ metadata: metadata.topics.map((t) => ({ name: t.name, partitions: t.partitions.length })) });
  const offsets = await admin.fetchTopicOffsets(topic);
  print({ offsets: offsets.map((o) => ({ partition: o.partition, low: o.low, high: o.high })) });
  await admin.disconnect();
}

// Joins group GROUP, reads TOPIC from the beginning until COUNT records arrived, printing each as line(partition,
// message) says, then keeps reading settleMs more (a record arriving then is printed too, and fails the test).
async function readInGroup(line, settleMs) {
  const consumer = kafka.consumer({ groupId: process.env.GROUP });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let seen = 0;
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`only ${seen} of ${count} records within 60 s`)), 60000);
    consumer.run({
      eachMessage: async ({ partition, message }) => {
        print(line(partition, message));
        if (++seen === count) { clearTimeout(timer); setTimeout(resolve, settleMs); }
      },
    }).catch(reject);
  });
  await consumer.disconnect();
}

const text = (buffer) => buffer && buffer.toString();

const consume = () => readInGroup((partition, message) => ({ offset: Number(message.offset), partition,
  key: text(message.key), value: text(message.value) }), 0);

async function transactions() {
  const producer = kafka.producer({ transactionalId: process.env.TXN_ID, idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  for (const outcome of ['committed', 'aborted']) {
    const transaction = await producer.transaction();
    for (let i = 0; i < count; i++) {
      await transaction.send({ topic, messages: [{ partition: 0, key: `k${i}`, value: `${outcome}-${i}` }] });
    }
    await (outcome === 'committed' ? transaction.commit() : transaction.abort());
    print({ outcome });
  }
  await producer.disconnect();
}

const readCommitted = () => readInGroup((partition, message) => ({ offset: Number(message.offset), partition,
  value: text(message.value) }), 1000);

const modes = { produce, consume, transactions, read_committed: readCommitted };
(modes[process.env.MODE] || produce)()
  .then(() => process.exit(0))
  .catch((e) => { console.error(e && e.stack ? e.stack : e); process.exit(1); });

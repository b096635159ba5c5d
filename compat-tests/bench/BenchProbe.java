// Small Kafka-client programs for side-by-side.sh, run with Java's single-file source launcher on the Kafka jars:
//   java -cp 'kafka-lib/*' BenchProbe.java roundtrip BOOTSTRAP TOPIC
//       builds its clients, prints READY, reads "GO <epoch-ns>" on stdin, then (its clients retrying every 10 ms while
//       the broker is not up) creates a topic, has one record acknowledged (acks=all) and reads it back; prints
//       "roundtrip_ms=N topic_ms=.. produce_ms=.. port_ms=.." counted from <epoch-ns> (port_ms: the first TCP connect).
//   java -cp 'kafka-lib/*' BenchProbe.java e2e BOOTSTRAP TOPIC RECORDS WARMUP
//       per record: send with acks=1 and wait for the ack, then poll until it is read back; prints microsecond
//       percentiles (EndToEndLatency's loop, whose own percentiles are whole milliseconds).
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

public final class BenchProbe {

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "roundtrip" -> roundTrip(args[1], args[2], args.length > 3 && args[3].equals("warm"));
            case "e2e" -> endToEnd(args[1], args[2], Integer.parseInt(args[3]), Integer.parseInt(args[4]));
            default -> throw new IllegalArgumentException("mode roundtrip|e2e, not " + args[0]);
        }
    }

    private static Properties client(String bootstrap, boolean eager) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        if (eager) {   // a broker that is not up yet is retried every 10 ms, not with the default backoff up to 1 s
            for (String key : List.of("reconnect.backoff.ms", "reconnect.backoff.max.ms", "retry.backoff.ms", "retry.backoff.max.ms")) {
                p.put(key, "10");
            }
            p.put("socket.connection.setup.timeout.ms", "500");
            p.put("socket.connection.setup.timeout.max.ms", "500");
        }
        return p;
    }

    /**
     * Times launch-to-first-round-trip. With {@code warm} the broker is still running at the start: this JVM first
     * does the whole round trip once against it (throwaway clients, another topic), so the timed one measures the
     * broker's restart rather than this JVM's class loading and JIT (the same for either broker); then READY, the
     * script restarts the broker and sends GO.
     */
    private static void roundTrip(String bootstrap, String topic, boolean warm) throws Exception {
        if (warm) {
            try (ProbeClients throwaway = ProbeClients.open(bootstrap)) {
                createProduceReadBack(throwaway, topic + "-warm", 0);
            }
        }
        try (ProbeClients clients = ProbeClients.open(bootstrap)) {
            System.out.println("READY");
            System.out.flush();
            String go = new BufferedReader(new InputStreamReader(System.in)).readLine();
            long t0 = Long.parseLong(go.substring(3).trim());
            long[] portMs = {-1};
            Thread portWatch = Thread.ofPlatform().daemon().start(() -> portMs[0] = msUntilPortOpen(bootstrap, t0));
            long[] ms = createProduceReadBack(clients, topic, t0);
            portWatch.join(TimeUnit.SECONDS.toMillis(10));
            System.out.println("roundtrip_ms=" + ms[2] + " topic_ms=" + ms[0] + " produce_ms=" + ms[1]
                    + " port_ms=" + portMs[0]);
        }
    }

    /**
     * Milliseconds from {@code t0EpochNs} until the broker's port takes a TCP connection: tried every 10 ms from this
     * JVM, not by the script, whose polling (a forked shell per try) took CPU from the starting broker on two cores
     * (about 130 ms more to the first round trip, measured with a restart loop with and without it).
     */
    private static long msUntilPortOpen(String bootstrap, long t0EpochNs) {
        String[] hostPort = bootstrap.split(":");
        java.net.InetSocketAddress address = new java.net.InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1]));
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < giveUp) {
            try (java.net.Socket socket = new java.net.Socket()) {
                socket.connect(address, 100);
                return msSince(t0EpochNs);
            } catch (java.io.IOException notYet) {
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    return -1;
                }
            }
        }
        return -1;
    }

    /** The round trip's clients: retrying every 10 ms while the broker is not up yet. */
    private record ProbeClients(Admin admin, KafkaProducer<byte[], byte[]> producer,
                                KafkaConsumer<byte[], byte[]> consumer) implements AutoCloseable {

        static ProbeClients open(String bootstrap) {
            Properties producerProps = client(bootstrap, true);
            producerProps.put("acks", "all");
            producerProps.put("linger.ms", "0");
            producerProps.put("delivery.timeout.ms", "120000");
            Properties consumerProps = client(bootstrap, true);
            consumerProps.put("enable.auto.commit", "false");
            consumerProps.put("fetch.max.wait.ms", "10");
            return new ProbeClients(Admin.create(client(bootstrap, true)),
                    new KafkaProducer<>(producerProps, new ByteArraySerializer(), new ByteArraySerializer()),
                    new KafkaConsumer<>(consumerProps, new ByteArrayDeserializer(), new ByteArrayDeserializer()));
        }

        @Override
        public void close() {
            consumer.close();
            producer.close();
            admin.close();
        }
    }

    /**
     * Creates {@code topic} (existing is fine), produces one record at acks=all and reads it back; returns the
     * milliseconds since {@code t0EpochNs} after each of the three steps.
     */
    private static long[] createProduceReadBack(ProbeClients c, String topic, long t0EpochNs) throws Exception {
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        // one call: the admin client itself retries (every 10 ms) while the broker is not up yet
        try {
            c.admin().createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(120, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
        long topicMs = msSince(t0EpochNs);
        long offset = c.producer().send(new ProducerRecord<>(topic, 0, null, "probe".getBytes()))
                .get(120, TimeUnit.SECONDS).offset();
        long produceMs = msSince(t0EpochNs);
        TopicPartition tp = new TopicPartition(topic, 0);
        c.consumer().assign(List.of(tp));
        c.consumer().seek(tp, offset);
        while (c.consumer().poll(Duration.ofMillis(20)).isEmpty()) {
            if (System.nanoTime() > giveUp) {
                throw new IllegalStateException("probe record not read back within 120 s");
            }
        }
        return new long[] {topicMs, produceMs, msSince(t0EpochNs)};
    }

    /** Milliseconds since {@code t0Epochns}, an epoch time in nanoseconds from another process ({@code date +%s%N}). */
    private static long msSince(long t0EpochNs) {
        java.time.Instant now = java.time.Instant.now();
        return (now.getEpochSecond() * 1_000_000_000L + now.getNano() - t0EpochNs) / 1_000_000L;
    }

    private static void endToEnd(String bootstrap, String topic, int records, int warmup) throws Exception {
        Properties producerProps = client(bootstrap, false);
        producerProps.put("acks", "1");
        producerProps.put("linger.ms", "0");
        Properties consumerProps = client(bootstrap, false);
        consumerProps.put("enable.auto.commit", "false");
        consumerProps.put("fetch.max.wait.ms", "0");
        long[] micros = new long[records];
        byte[] value = new byte[100];
        TopicPartition tp = new TopicPartition(topic, 0);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProps, new ByteArraySerializer(), new ByteArraySerializer());
             KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProps, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.assign(List.of(tp));
            consumer.seekToEnd(List.of(tp));
            consumer.position(tp);
            for (int i = 0; i < warmup + records; i++) {
                long start = System.nanoTime();
                producer.send(new ProducerRecord<>(topic, 0, null, value)).get(30, TimeUnit.SECONDS);
                int got = 0;
                while (got == 0) {
                    got = consumer.poll(Duration.ofMillis(100)).count();
                    if (System.nanoTime() - start > TimeUnit.SECONDS.toNanos(30)) {
                        throw new IllegalStateException("record " + i + " not read back within 30 s");
                    }
                }
                if (i >= warmup) {
                    micros[i - warmup] = (System.nanoTime() - start) / 1000;
                }
            }
        }
        Arrays.sort(micros);
        System.out.printf("e2e_p50_us=%d e2e_p99_us=%d e2e_p999_us=%d%n",
            micros[records / 2], micros[(int) (records * 0.99)], micros[(int) (records * 0.999)]);
    }
}

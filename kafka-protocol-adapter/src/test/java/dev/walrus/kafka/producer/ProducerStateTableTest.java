package dev.walrus.kafka.producer;

import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ProducerStateTableTest {

    private final ProducerStateTable table = new ProducerStateTable();

    @Test
    void shouldAcceptAnyFirstSequenceFromAnUnknownProducer() {
        assertThat(table.check(7, (short) 0, 42, 44)).isInstanceOf(SequenceCheck.Accept.class);
    }

    @Test
    void shouldRecogniseARetryOfOneOfTheLastFiveBatches() {
        for (int i = 0; i < 6; i++) {
            table.record(7, (short) 0, new BatchMetadata(i * 2, i * 2 + 1, 100 + i * 2, 101 + i * 2, 0));
        }
        assertThat(table.check(7, (short) 0, 2, 3)).isEqualTo(new SequenceCheck.Duplicate(new BatchMetadata(2, 3, 102, 103, 0)));
        // The first batch has fallen out of the window: no longer a duplicate, and out of sequence.
        assertThat(table.check(7, (short) 0, 0, 1)).isInstanceOfSatisfying(SequenceCheck.Reject.class,
                r -> assertThat(r.error()).isEqualTo(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER));
    }

    @Test
    void shouldRejectASequenceGap() {
        table.record(7, (short) 0, new BatchMetadata(0, 4, 0, 4, 0));
        assertThat(table.check(7, (short) 0, 6, 6)).isInstanceOfSatisfying(SequenceCheck.Reject.class,
                r -> assertThat(r.error()).isEqualTo(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER));
        assertThat(table.check(7, (short) 0, 5, 9)).isInstanceOf(SequenceCheck.Accept.class);
    }

    @Test
    void shouldFenceAnOlderEpoch() {
        table.record(7, (short) 3, new BatchMetadata(0, 0, 0, 0, 0));
        assertThat(table.check(7, (short) 2, 1, 1)).isInstanceOfSatisfying(SequenceCheck.Reject.class,
                r -> assertThat(r.error()).isEqualTo(Errors.INVALID_PRODUCER_EPOCH));
    }

    @Test
    void shouldRequireSequenceZeroForANewEpoch() {
        table.record(7, (short) 0, new BatchMetadata(0, 9, 0, 9, 0));
        assertThat(table.check(7, (short) 1, 10, 10)).isInstanceOfSatisfying(SequenceCheck.Reject.class,
                r -> assertThat(r.error()).isEqualTo(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER));
        assertThat(table.check(7, (short) 1, 0, 3)).isInstanceOf(SequenceCheck.Accept.class);
    }

    @Test
    void shouldWrapSequencesPastIntegerMax() {
        table.record(7, (short) 0, new BatchMetadata(Integer.MAX_VALUE - 1, Integer.MAX_VALUE, 0, 1, 0));
        assertThat(table.check(7, (short) 0, 0, 0)).isInstanceOf(SequenceCheck.Accept.class);
    }
}

package dev.walrus.kafka.log;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The open and aborted transactions of one partition, as the last stable offset and read_committed fetches use them. */
class TransactionIndexTest {

    private final TransactionIndex index = new TransactionIndex();

    @Test
    void shouldHoldTheLastStableOffsetAtTheOldestOpenTransaction() {
        assertThat(index.firstUnstableOffset()).isEqualTo(-1);
        index.onTransactionalBatch(7, 10);
        index.onTransactionalBatch(8, 12);
        index.onTransactionalBatch(7, 14);   // a later batch of an open transaction does not move its start
        assertThat(index.firstUnstableOffset()).isEqualTo(10);
        assertThat(index.openTransactionStart(7)).isEqualTo(10);
        index.onMarker(7, true, 15);
        assertThat(index.firstUnstableOffset()).isEqualTo(12);
        assertThat(index.openTransactionStart(7)).isEqualTo(-1);
        index.onMarker(8, false, 16);
        assertThat(index.firstUnstableOffset()).isEqualTo(-1);
    }

    @Test
    void shouldRememberOnlyAbortedTransactionsThatWroteHere() {
        index.onMarker(3, false, 5);   // a marker for a producer with nothing open here
        index.onTransactionalBatch(4, 6);
        index.onMarker(4, true, 7);
        assertThat(index.abortedOverlapping(0, 100)).isEmpty();
    }

    @Test
    void shouldListTheAbortedTransactionsWhoseRangeOverlapsAFetch() {
        index.onTransactionalBatch(1, 0);
        index.onMarker(1, false, 4);     // aborted [0, 4]
        index.onTransactionalBatch(2, 5);
        index.onTransactionalBatch(3, 6);
        index.onMarker(2, false, 20);    // aborted [5, 20], a wide one
        index.onMarker(3, false, 21);    // aborted [6, 21]
        index.onTransactionalBatch(4, 30);
        index.onMarker(4, false, 31);    // aborted [30, 31]

        assertThat(index.abortedOverlapping(0, 5)).extracting(PartitionRead.AbortedTransaction::producerId).containsExactly(1L);
        assertThat(index.abortedOverlapping(4, 6)).extracting(PartitionRead.AbortedTransaction::producerId).containsExactly(1L, 2L);
        assertThat(index.abortedOverlapping(10, 12)).extracting(PartitionRead.AbortedTransaction::producerId).containsExactly(2L, 3L);
        assertThat(index.abortedOverlapping(22, 30)).isEmpty();
        assertThat(index.abortedOverlapping(22, 31)).extracting(PartitionRead.AbortedTransaction::firstOffset).containsExactly(30L);
    }

    @Test
    void shouldForgetAbortedTransactionsBelowTheLogStart() {
        index.onTransactionalBatch(1, 0);
        index.onMarker(1, false, 4);
        index.onTransactionalBatch(2, 5);
        index.onMarker(2, false, 9);
        index.truncateBefore(5);
        assertThat(index.abortedOverlapping(0, 100)).extracting(PartitionRead.AbortedTransaction::producerId).containsExactly(2L);
    }
}

package dev.walrus.compat;

import org.junit.jupiter.api.AfterEach;

/**
 * A test class whose tests each start a broker of their own ({@link ChildBroker#forCurrentTarget}): it sets
 * {@link #broker}, which is stopped after each test.
 */
public abstract class OwnBrokerTest {

    /** The test's own broker; null when the test was skipped for an external target (or has not started one). */
    protected ChildBroker broker;

    @AfterEach
    final void stopBroker() {
        if (broker != null) {
            broker.close();
            broker = null;
        }
    }
}

package dev.walrus.engine;

import java.nio.file.Path;

/** A child JVM for {@link BadInputTest}: opens a data directory, says so, and holds it until stdin closes. */
public final class LockHolderChild {

    private LockHolderChild() {}

    public static void main(String[] args) throws Exception {
        try (Walrus w = Walrus.open(Path.of(args[0]))) {
            System.out.println("OPEN");
            System.out.flush();
            while (System.in.read() >= 0) {
                // hold the lock until the parent closes our stdin
            }
        }
    }
}

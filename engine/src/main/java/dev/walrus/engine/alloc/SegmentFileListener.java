package dev.walrus.engine.alloc;

/** Told when a segment file deletes itself, so registries drop it. */
@FunctionalInterface
public interface SegmentFileListener {
    void fileDeleted(SegmentFile file);
}

package dev.walrus.kafka.fetch;

/**
 * What a fetcher asks of one partition (the request's per-partition fields, kept by a session between requests).
 *
 * @param fetchOffset the offset to read from
 * @param maxBytes the partition's byte limit
 * @param logStartOffset the fetcher's log start offset (followers only; -1 for consumers)
 */
public record FetchPosition(long fetchOffset, int maxBytes, long logStartOffset) {}

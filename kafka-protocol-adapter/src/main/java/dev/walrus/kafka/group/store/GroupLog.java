package dev.walrus.kafka.group.store;

import dev.walrus.kafka.group.Group;

import java.util.Map;

/**
 * Where group state (membership, generations, assignments) survives a restart. Called on the group thread only.
 */
public interface GroupLog extends AutoCloseable {

    /** Records the group's current state; the last save of a group wins at replay. */
    void save(Group group);

    /** Records that the group is gone. */
    void delete(String groupId);

    /** Rewrites the log as one snapshot per live group when it has grown well past that. */
    void maybeCompact(java.util.Collection<Group> live);

    /** The groups as last saved, by id. */
    Map<String, Group> replay();

    @Override
    void close();
}

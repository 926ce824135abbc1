package ai.edgeai.node.outbox;

/** Eviction order when the outbox is full: LOW goes first, then NORMAL, then HIGH; oldest first within one. */
public enum Priority {
  LOW,
  NORMAL,
  HIGH
}

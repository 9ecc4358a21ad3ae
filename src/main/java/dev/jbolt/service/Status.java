package dev.jbolt.service;

/**
 * MilkCheck's statuses, with the order in which it reads its dependencies' (the worst wins): a
 * failed strong dependency counts as DEP_ERROR, a failed weak one as DONE (shown as OK).
 */
public enum Status {
  WAITING(9),
  DONE(6),
  WARNING(7),
  TIMEOUT(0),
  ERROR(0),
  DEP_ERROR(10),
  SKIPPED(5),
  MISSING(4),
  LOCKED(3);

  final int order;

  Status(int order) {
    this.order = order;
  }

  public boolean failed() {
    return this == ERROR || this == TIMEOUT || this == DEP_ERROR;
  }

  /** As MilkCheck prints it: DONE is OK. */
  public String shown() {
    return this == DONE ? "OK" : name();
  }
}

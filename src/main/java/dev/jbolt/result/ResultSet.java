package dev.jbolt.result;

import java.util.List;

/** The results of one action on many targets, one per target, in target order. */
public record ResultSet(List<Result> results, long elapsedMillis) {
  public ResultSet {
    results = List.copyOf(results);
  }

  public boolean ok() {
    return results.stream().allMatch(Result::ok);
  }

  public List<Result> errorSet() {
    return results.stream().filter(r -> !r.ok()).toList();
  }

  public int count() {
    return results.size();
  }
}

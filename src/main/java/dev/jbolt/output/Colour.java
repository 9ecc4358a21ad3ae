package dev.jbolt.output;

/** ANSI colours, or none. */
public record Colour(boolean on) {
  public String green(String s) {
    return wrap("32", s);
  }

  public String yellow(String s) {
    return wrap("33", s);
  }

  public String red(String s) {
    return wrap("31", s);
  }

  public String magenta(String s) {
    return wrap("35", s);
  }

  public String cyan(String s) {
    return wrap("36", s);
  }

  private String wrap(String code, String s) {
    return on ? "\033[" + code + "m" + s + "\033[0m" : s;
  }
}

package dev.jbolt.transport;

/** Receives a running command's output as it arrives; called from I/O threads, so keep it quick. */
public interface OutputListener {
  OutputListener NONE = (stream, b, off, len) -> {};

  enum Stream {
    STDOUT,
    STDERR
  }

  void output(Stream stream, byte[] buf, int off, int len);
}

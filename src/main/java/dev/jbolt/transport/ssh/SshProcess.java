package dev.jbolt.transport.ssh;

import dev.jbolt.transport.OutputListener;
import dev.jbolt.transport.RemoteProcess;
import java.io.OutputStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.apache.sshd.client.channel.ChannelExec;

/** A command on an exec channel; frees its channel slot when it ends or is killed. */
final class SshProcess implements RemoteProcess {
  private final ChannelExec channel;
  private final Runnable onClose;
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile Runnable onKill = () -> {};
  private volatile Runnable onEnd = () -> {};
  private volatile BooleanSupplier shellFailed = () -> false;

  private final CountDownLatch closedLatch = new CountDownLatch(1);

  private final BooleanSupplier silenced;

  SshProcess(ChannelExec channel, Runnable onClose, BooleanSupplier silenced) {
    this.channel = channel;
    this.onClose = onClose;
    this.silenced = silenced;
    // at once if already closed; the slot is free when the channel is, waited for or not (a kept
    // shell given up with its input closed is never waited for)
    channel.addCloseFutureListener(
        f -> {
          closedLatch.countDown();
          release();
        });
  }

  @Override
  public OutputStream stdin() {
    return channel.getInvertedIn();
  }

  /**
   * Waits on the channel's close, not with MINA's {@code waitFor}: that one ignores interrupts, and
   * Ctrl-C must stop a wait on a command that never ends.
   */
  @Override
  public boolean waitFor(long millis) throws InterruptedException {
    if (!closedLatch.await(millis, TimeUnit.MILLISECONDS)) {
      return false;
    }
    onEnd.run();
    release();
    return true;
  }

  @Override
  public Integer exitCode() {
    return channel.getExitStatus();
  }

  @Override
  public boolean connectionLost() {
    return channel.getExitStatus() == null
        && channel.getExitSignal() == null
        && !channel.getSession().isOpen();
  }

  @Override
  public boolean connectionSilent() {
    return silenced.getAsBoolean();
  }

  /**
   * {@code flush} runs once the command has ended; {@code failed} says whether its shell ever ran
   * it.
   */
  void onEnd(Runnable flush, BooleanSupplier failed) {
    onEnd = flush;
    shellFailed = failed;
  }

  @Override
  public boolean shellFailed() {
    return channel.getExitStatus() != null && shellFailed.getAsBoolean();
  }

  void onKill(Runnable r) {
    onKill = r;
  }

  @Override
  public void kill() {
    channel.close(true);
    release();
    onKill.run();
  }

  private void release() {
    if (closed.compareAndSet(false, true)) {
      onClose.run();
    }
  }

  /** Hands channel output to the listener as it arrives. */
  static final class ListenerStream extends OutputStream {
    private final OutputListener listener;
    private final OutputListener.Stream stream;

    ListenerStream(OutputListener listener, OutputListener.Stream stream) {
      this.listener = listener;
      this.stream = stream;
    }

    @Override
    public void write(int b) {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) {
      listener.output(stream, b, off, len);
    }
  }
}

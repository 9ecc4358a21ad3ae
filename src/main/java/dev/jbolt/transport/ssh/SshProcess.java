package dev.jbolt.transport.ssh;

import dev.jbolt.transport.RemoteProcess;
import java.io.OutputStream;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;

/** A command on an exec channel; frees its channel slot when it ends or is killed. */
final class SshProcess implements RemoteProcess {
  private final ChannelExec channel;
  private final Runnable onClose;
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile Runnable onKill = () -> {};
  private volatile Runnable onEnd = () -> {};
  private volatile java.util.function.BooleanSupplier shellFailed = () -> false;

  SshProcess(ChannelExec channel, Runnable onClose) {
    this.channel = channel;
    this.onClose = onClose;
  }

  @Override
  public OutputStream stdin() {
    return channel.getInvertedIn();
  }

  @Override
  public boolean waitFor(long millis) throws InterruptedException {
    if (Thread.interrupted()) {
      throw new InterruptedException();
    }
    Set<ClientChannelEvent> events;
    try {
      events = channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), millis);
    } catch (RuntimeException e) {
      if (Thread.interrupted() || e.getCause() instanceof InterruptedException) {
        throw new InterruptedException();
      }
      throw e;
    }
    if (Thread.interrupted()) {
      throw new InterruptedException();
    }
    if (events.contains(ClientChannelEvent.TIMEOUT) && !events.contains(ClientChannelEvent.CLOSED)) {
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
    return channel.getExitStatus() == null && channel.getExitSignal() == null
        && !channel.getSession().isOpen();
  }

  /** {@code flush} runs once the command has ended; {@code failed} says whether its shell ever ran it. */
  void onEnd(Runnable flush, java.util.function.BooleanSupplier failed) {
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
}

package dev.jbolt.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A test class's own sshd, in a static {@link Sshd} field: started before the class's
 * {@code @BeforeAll} methods run and stopped after its {@code @AfterAll} ones ({@link
 * SshdExtension}).
 *
 * <pre>{@code @LabSshd(anyAddress = true) static Sshd sshd;}</pre>
 */
@Target(ElementType.FIELD)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(SshdExtension.class)
public @interface LabSshd {
  /** Listen on every 127.0.0.x address (0.0.0.0), for many targets; else 127.0.0.1. */
  boolean anyAddress() default false;

  /** Serve SFTP (the subsystem); false: scp and tar only. */
  boolean sftp() default true;
}

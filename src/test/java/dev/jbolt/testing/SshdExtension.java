package dev.jbolt.testing;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** Starts and stops the sshds of a test class's {@link LabSshd} fields. */
public final class SshdExtension implements BeforeAllCallback, AfterAllCallback {
  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    for (Field f : fields(context.getRequiredTestClass())) {
      if (f.get(null) == null) {
        LabSshd lab = f.getAnnotation(LabSshd.class);
        Sshd.Builder b = Sshd.builder();
        if (lab.anyAddress()) {
          b.anyAddress();
        }
        if (!lab.sftp()) {
          b.noSftp();
        }
        f.set(null, b.start());
      }
    }
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    for (Field f : fields(context.getRequiredTestClass())) {
      Sshd s = (Sshd) f.get(null);
      if (s != null) {
        s.close();
        f.set(null, null);
      }
    }
  }

  private static List<Field> fields(Class<?> c) {
    List<Field> out = new ArrayList<>();
    for (Field f : c.getDeclaredFields()) {
      if (f.isAnnotationPresent(LabSshd.class)) {
        if (!Modifier.isStatic(f.getModifiers()) || f.getType() != Sshd.class) {
          throw new IllegalStateException("@LabSshd is for a static Sshd field: " + f);
        }
        f.setAccessible(true);
        out.add(f);
      }
    }
    return out;
  }
}

package dev.jbolt.transport.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.jbolt.transport.ssh.KnownHostLine.HostPort;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The index of a known_hosts file finds exactly the lines OpenSSH's rules match, in the file's
 * order: plain names, {@code [host]:port}, lists, case, wildcards, negations, hashed names and
 * markers, checked against matching every line one by one.
 */
class KnownHostsFileTest {
  private static final String KEY =
      "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIP1ClXq2ciey8Zm6EJJcACaG4yo/ca+uH8WP/RtsJfzL";

  @TempDir Path tmp;

  private static String hashed(String name) throws Exception {
    byte[] salt = new byte[20];
    for (int i = 0; i < salt.length; i++) {
      salt[i] = (byte) (i * 7 + name.length());
    }
    Mac mac = Mac.getInstance("HmacSHA1");
    mac.init(new SecretKeySpec(salt, "HmacSHA1"));
    byte[] h = mac.doFinal(name.getBytes(StandardCharsets.UTF_8));
    Base64.Encoder b = Base64.getEncoder();
    return "|1|" + b.encodeToString(salt) + "|" + b.encodeToString(h);
  }

  @Test
  void theIndexFindsWhatMatchingEveryLineFinds() throws Exception {
    Path file = tmp.resolve("known_hosts");
    Files.writeString(
        file,
        String.join(
            "\n",
            "host1 " + KEY,
            "[host2]:2222 " + KEY,
            "Host3,host4 " + KEY,
            "*.example.com " + KEY,
            "*.corp,!bad.corp " + KEY,
            hashed("secret.host") + " " + KEY,
            "@revoked host1 " + KEY,
            "@cert-authority *.example.com " + KEY,
            "host1 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGFyYmxlZA==",
            "a.example.com,host1 " + KEY,
            "[host1]:2222,host9 " + KEY,
            "HOST9 " + KEY,
            ""));
    KnownHostsFile f =
        KnownHostsFile.read(file, Files.readAttributes(file, BasicFileAttributes.class));
    assertEquals(12, f.lines().size());
    List<List<HostPort>> asked =
        List.of(
            List.of(new HostPort("host1", 22)),
            List.of(new HostPort("host1", 2222)),
            List.of(new HostPort("host2", 2222)),
            List.of(new HostPort("host2", 22)),
            List.of(new HostPort("HOST4", 22)),
            List.of(new HostPort("a.example.com", 22)),
            List.of(new HostPort("b.example.com", 2222)),
            List.of(new HostPort("good.corp", 22)),
            List.of(new HostPort("bad.corp", 22)),
            List.of(new HostPort("secret.host", 22)),
            List.of(new HostPort("other.host", 22)),
            List.of(new HostPort("host9", 22), new HostPort("host1", 2222)),
            List.of(new HostPort("nowhere", 22), new HostPort("127.0.0.1", 22)));
    for (List<HostPort> names : asked) {
      List<KnownHostLine> expected = f.lines().stream().filter(l -> l.matches(names)).toList();
      assertEquals(expected, f.matching(names), names::toString);
    }
    assertEquals(
        4,
        f.matching(List.of(new HostPort("host1", 22))).size(),
        "plain, @revoked, garbled, in a list; not [host1]:2222");
    assertEquals(List.of(f.lines().get(4)), f.matching(List.of(new HostPort("good.corp", 22))));
    assertEquals(List.of(), f.matching(List.of(new HostPort("bad.corp", 22))));
    assertEquals(List.of(f.lines().get(5)), f.matching(List.of(new HostPort("secret.host", 22))));
    assertNotNull(f.lines().get(0).key());
    assertNull(f.lines().get(8).key(), "a garbled key is skipped when asked for");
  }
}

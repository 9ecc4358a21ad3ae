package dev.jbolt.secret;

import dev.jbolt.JboltException;
import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.cms.IssuerAndSerialNumber;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.cms.CMSAlgorithm;
import org.bouncycastle.cms.CMSEnvelopedData;
import org.bouncycastle.cms.CMSEnvelopedDataGenerator;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.KeyTransRecipientInfoGenerator;
import org.bouncycastle.cms.RecipientInformation;
import org.bouncycastle.cms.jcajce.JceCMSContentEncryptorBuilder;
import org.bouncycastle.cms.jcajce.JceKeyTransEnvelopedRecipient;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaMiscPEMGenerator;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JceAsymmetricKeyWrapper;
import org.bouncycastle.util.Properties;
import org.bouncycastle.util.io.pem.PemWriter;

/**
 * Bolt's pkcs7 secrets, compatible with its files both ways (and with hiera-eyaml's): an RSA key
 * pair in {@code keys/private_key.pkcs7.pem} and a self-signed certificate in {@code
 * keys/public_key.pkcs7.pem}, and values as {@code ENC[PKCS7,<base64>]}, where the base64 is a
 * PKCS#7 (CMS) EnvelopedData in DER: AES-256-CBC content, its key sealed with RSA for the
 * certificate. BouncyCastle does the CMS and PEM work; the JDK's providers do the cryptography.
 *
 * <p>Paths come from the project's {@code plugins: pkcs7:} settings ({@code private_key}, {@code
 * public_key}, {@code keysize}; Bolt's older {@code private-key} spellings too), relative to the
 * project directory. No message of this class ever holds a decrypted value.
 */
public final class Pkcs7 {
  public static final String PRIVATE_KEY = "keys/private_key.pkcs7.pem";
  public static final String PUBLIC_KEY = "keys/public_key.pkcs7.pem";

  /** Bolt's own pattern for an encrypted value: base64 (with line breaks) inside ENC[PKCS7,...]. */
  private static final Pattern ENC =
      Pattern.compile("\\A\\s*ENC\\[(\\w+),([A-Za-z0-9+/=\\s]+)\\]\\s*\\z");

  private static final String EMPTY_ISSUER = "org.bouncycastle.x509.allow_empty_issuer_cert";

  private final Path privateKey;
  private final Path publicKey;
  private final int keysize;
  private PrivateKey loaded; // read on the first decryption; guarded by this

  public Pkcs7(Path privateKey, Path publicKey, int keysize) {
    this.privateKey = privateKey;
    this.publicKey = publicKey;
    this.keysize = keysize;
  }

  /** The keys of a project whose project file has {@code plugins:} settings {@code plugins}. */
  public static Pkcs7 forProject(Path dir, Map<String, Object> plugins) {
    Object v = plugins.get("pkcs7");
    if (v != null && !(v instanceof Map<?, ?>)) {
      throw new JboltException("plugins.pkcs7 in the project file must be a mapping");
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> settings = v == null ? Map.of() : (Map<String, Object>) v;
    return of(dir, settings);
  }

  /**
   * The keys a project uses: its {@code plugins.pkcs7} settings, else Bolt's default paths under
   * {@code dir} (the project directory, or the current one without a project).
   */
  public static Pkcs7 of(Path dir, Map<String, Object> settings) {
    for (String k : settings.keySet()) {
      if (!k.matches("private[-_]key|public[-_]key|keysize")) {
        throw new JboltException(
            "unknown setting '"
                + k
                + "' for plugin pkcs7 (it has private_key, public_key, keysize)");
      }
    }
    Object size = settings.getOrDefault("keysize", 2048);
    if (!(size instanceof Integer n) || n < 1024 || n > 16384) {
      throw new JboltException(
          "plugins.pkcs7.keysize must be a whole number of bits from 1024 to 16384, not " + size);
    }
    return new Pkcs7(
        path(dir, settings, "private", PRIVATE_KEY),
        path(dir, settings, "public", PUBLIC_KEY),
        (Integer) size);
  }

  private static Path path(Path dir, Map<String, Object> settings, String which, String dflt) {
    Object v = settings.getOrDefault(which + "_key", settings.get(which + "-key"));
    if (v != null && !(v instanceof String)) {
      throw new JboltException("plugins.pkcs7." + which + "_key must be a path, not " + v);
    }
    String p = v == null ? dflt : (String) v;
    if (p.startsWith("~/")) {
      p = System.getProperty("user.home") + p.substring(1);
    }
    return dir.resolve(p).normalize();
  }

  public Path privateKey() {
    return privateKey;
  }

  public Path publicKey() {
    return publicKey;
  }

  /**
   * Makes a new key pair as Bolt does (RSA of {@code keysize} bits, a self-signed certificate
   * (CN=pkcs7), serial 1, fifty years, signed with SHA-512); the private key file is mode 0600. An
   * existing pair is kept unless {@code force}.
   */
  public void createKeys(boolean force) {
    if (!force && (Files.exists(privateKey) || Files.exists(publicKey))) {
      throw new JboltException(
          "a key pair exists already ("
              + privateKey
              + ", "
              + publicKey
              + "): give --force to replace it, which makes every value encrypted for it"
              + " unreadable");
    }
    try {
      KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
      gen.initialize(keysize);
      KeyPair pair = gen.generateKeyPair();
      Instant now = Instant.now();
      // Bolt's certificates have an empty name, which BouncyCastle will not sign; any name does,
      // since only the key and issuer+serial pair matter to decryption.
      X500Name name = new X500Name("CN=pkcs7");
      X509CertificateHolder cert =
          new JcaX509v3CertificateBuilder(
                  name,
                  BigInteger.ONE,
                  Date.from(now),
                  Date.from(now.plus(Duration.ofDays(50 * 365))),
                  name,
                  pair.getPublic())
              .build(new JcaContentSignerBuilder("SHA512withRSA").build(pair.getPrivate()));
      Files.createDirectories(privateKey.toAbsolutePath().getParent());
      Files.createDirectories(publicKey.toAbsolutePath().getParent());
      Path tmp =
          Files.createTempFile(
              privateKey.toAbsolutePath().getParent(),
              ".private",
              ".tmp",
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(tmp, pem(pair));
      Files.move(tmp, privateKey, StandardCopyOption.REPLACE_EXISTING);
      Files.writeString(publicKey, pem(cert));
    } catch (IOException | OperatorCreationException | GeneralSecurityException e) {
      throw new JboltException("cannot create the pkcs7 keys: " + e.getMessage());
    }
  }

  private static String pem(Object o) throws IOException {
    StringWriter out = new StringWriter();
    try (PemWriter w = new PemWriter(out)) {
      w.writeObject(new JcaMiscPEMGenerator(o));
    }
    return out.toString();
  }

  /** {@code ENC[PKCS7,...]} for {@code plaintext}, in Bolt's layout (base64 lines of 60). */
  public String encrypt(String plaintext) {
    try {
      X509CertificateHolder cert = certificate(publicKey);
      IssuerAndSerialNumber recipient =
          new IssuerAndSerialNumber(cert.getIssuer(), cert.getSerialNumber());
      PublicKey key = new JcaPEMKeyConverter().getPublicKey(cert.getSubjectPublicKeyInfo());
      CMSEnvelopedDataGenerator gen = new CMSEnvelopedDataGenerator();
      gen.addRecipientInfoGenerator(
          new KeyTransRecipientInfoGenerator(recipient, new JceAsymmetricKeyWrapper(key)) {});
      CMSEnvelopedData data =
          gen.generate(
              new CMSProcessableByteArray(plaintext.getBytes(StandardCharsets.UTF_8)),
              new JceCMSContentEncryptorBuilder(CMSAlgorithm.AES256_CBC).build());
      String b64 =
          Base64.getMimeEncoder(60, "\n".getBytes(StandardCharsets.US_ASCII))
              .encodeToString(data.toASN1Structure().getEncoded("DER"));
      return "ENC[PKCS7," + b64 + "]";
    } catch (IOException | CMSException e) {
      throw new JboltException("cannot encrypt with " + publicKey + ": " + e.getMessage());
    }
  }

  /** Whether {@code value} has the {@code ENC[NAME,...]} form (of any plugin). */
  public static boolean looksEncrypted(String value) {
    return ENC.matcher(value).matches();
  }

  /**
   * The plaintext of an {@code ENC[PKCS7,...]} value. A value of another form, or one that does not
   * decrypt with this key pair, is bad input; the message says which, never what it holds.
   */
  public String decrypt(String value) {
    Matcher m = ENC.matcher(value);
    if (!m.matches()) {
      throw new JboltException(
          "the value is not of the form ENC[PKCS7,<base64>] (an encrypted value from"
              + " 'jbolt secret encrypt' or 'bolt secret encrypt')");
    }
    if (!m.group(1).equals("PKCS7")) {
      throw new JboltException(
          "the value is encrypted by plugin " + m.group(1) + ", not pkcs7, which jbolt has");
    }
    byte[] der;
    try {
      der = Base64.getMimeDecoder().decode(m.group(2).replaceAll("\\s", ""));
    } catch (IllegalArgumentException e) {
      throw new JboltException("the encrypted value is not valid base64");
    }
    PrivateKey key = privateKeyOnce();
    try {
      CMSEnvelopedData data = new CMSEnvelopedData(der);
      for (RecipientInformation r : data.getRecipientInfos().getRecipients()) {
        try {
          byte[] plain = r.getContent(new JceKeyTransEnvelopedRecipient(key));
          return new String(plain, StandardCharsets.UTF_8);
        } catch (CMSException e) {
          // a recipient this key does not open: try the next one
        }
      }
      throw new JboltException(
          "the value cannot be decrypted with the private key "
              + privateKey
              + " (it was encrypted for another key pair)");
    } catch (CMSException | RuntimeException e) {
      if (e instanceof JboltException j) {
        throw j;
      }
      throw new JboltException(
          "the encrypted value is broken: it is not a PKCS#7 enveloped message");
    }
  }

  /** The private key, read once however many values are decrypted with it. */
  private synchronized PrivateKey privateKeyOnce() {
    if (loaded == null) {
      loaded = loadPrivateKey();
    }
    return loaded;
  }

  private PrivateKey loadPrivateKey() {
    Object o = readPem(privateKey, "private key");
    try {
      JcaPEMKeyConverter conv = new JcaPEMKeyConverter();
      if (o instanceof PEMKeyPair pair) {
        return conv.getKeyPair(pair).getPrivate();
      }
      if (o instanceof PrivateKeyInfo info) {
        return conv.getPrivateKey(info);
      }
    } catch (IOException e) {
      throw new JboltException("cannot read the private key " + privateKey + ": " + e.getMessage());
    }
    throw new JboltException(
        "the private key "
            + privateKey
            + " is not an unencrypted RSA private key in PEM (as 'jbolt secret createkeys' writes)");
  }

  private static X509CertificateHolder certificate(Path file) {
    if (readPem(file, "public key") instanceof X509CertificateHolder cert) {
      return cert;
    }
    throw new JboltException(
        "the public key "
            + file
            + " is not a certificate in PEM (as 'jbolt secret createkeys' writes)");
  }

  private static void exists(Path file, String what) {
    if (!Files.isRegularFile(file)) {
      throw new JboltException(
          "no "
              + what
              + " at "
              + file
              + " (make a pair with 'jbolt secret createkeys', or set plugins.pkcs7."
              + (what.startsWith("private") ? "private_key" : "public_key")
              + " in the project file)");
    }
  }

  private static Object readPem(Path file, String what) {
    exists(file, what);
    // Bolt's certificates have an empty issuer, which BouncyCastle reads only when told to.
    Properties.setThreadOverride(EMPTY_ISSUER, true);
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
        PEMParser p = new PEMParser(r)) {
      Object o = p.readObject();
      if (o == null) {
        throw new JboltException("the " + what + " " + file + " holds no PEM block");
      }
      return o;
    } catch (IOException | RuntimeException e) {
      if (e instanceof JboltException j) {
        throw j;
      }
      throw new JboltException("cannot read the " + what + " " + file + ": " + e.getMessage());
    } finally {
      Properties.removeThreadOverride(EMPTY_ISSUER);
    }
  }
}

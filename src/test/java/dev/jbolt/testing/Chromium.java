package dev.jbolt.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jbolt.result.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Debian's headless Chromium, driven over the DevTools protocol (the JDK's WebSocket client): loads
 * a page, collects what its console and network saw, takes a full-page screenshot. Started with the
 * flags that keep it off the network (reference: the machine's notes), in a profile of its own that
 * is removed on close.
 */
public final class Chromium implements AutoCloseable {
  public static final Path EXE = Path.of("/usr/bin/chromium");

  private final Process process;
  private final Path profile;
  private final WebSocket socket;
  private final AtomicInteger ids = new AtomicInteger();
  private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
  private final List<JsonNode> events = new CopyOnWriteArrayList<>();

  /** What a page did while loading: its errors and the URLs it asked for. */
  public record Load(List<String> errors, List<String> requests) {}

  public Chromium() throws Exception {
    Quick.skipsWhatNeeds("a browser");
    if (!Files.isExecutable(EXE)) {
      throw new IllegalStateException(EXE + " is missing: scripts/test installs Debian's chromium");
    }
    profile = Files.createTempDirectory("jbolt-chromium");
    ProcessBuilder pb =
        new ProcessBuilder(
                EXE.toString(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--hide-scrollbars",
                "--user-data-dir=" + profile,
                "--remote-debugging-address=127.0.0.1",
                "--remote-debugging-port=0",
                "--window-size=1200,900",
                "about:blank")
            .redirectOutput(ProcessBuilder.Redirect.DISCARD);
    // its singleton socket's directory (org.chromium.Chromium.*) goes in TMPDIR: inside the
    // profile, so that it goes with it, and not left in /tmp after each test
    pb.environment().put("TMPDIR", profile.toString());
    process = pb.start();
    String port = null;
    BufferedReader err =
        new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8));
    for (String line = err.readLine(); line != null; line = err.readLine()) {
      Matcher m = Pattern.compile("DevTools listening on ws://127.0.0.1:(\\d+)/").matcher(line);
      if (m.find()) {
        port = m.group(1);
        break;
      }
    }
    if (port == null) {
      close();
      throw new IllegalStateException("chromium did not start");
    }
    Thread.ofVirtual().start(() -> drain(err));
    HttpClient http = HttpClient.newHttpClient();
    JsonNode list =
        Json.mapper()
            .readTree(
                http.send(
                        HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + port + "/json/list"))
                            .build(),
                        HttpResponse.BodyHandlers.ofString())
                    .body());
    String ws = null;
    for (JsonNode t : list) {
      if (t.path("type").asText().equals("page")) {
        ws = t.path("webSocketDebuggerUrl").asText();
      }
    }
    socket = http.newWebSocketBuilder().buildAsync(URI.create(ws), new Listener()).get();
  }

  /** Loads {@code file} and waits for its load event. */
  public Load load(Path file) throws Exception {
    for (String domain : List.of("Runtime", "Log", "Network", "Page")) {
      call(domain + ".enable", Map.of());
    }
    events.clear();
    call("Page.navigate", Map.of("url", file.toUri().toString()));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (events.stream()
        .noneMatch(e -> e.path("method").asText().equals("Page.loadEventFired"))) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the page did not load");
      }
      Thread.sleep(50);
    }
    Thread.sleep(300); // late console messages
    List<String> errors = new ArrayList<>();
    List<String> requests = new ArrayList<>();
    for (JsonNode e : events) {
      JsonNode p = e.path("params");
      switch (e.path("method").asText()) {
        case "Runtime.exceptionThrown" -> errors.add(p.path("exceptionDetails").toString());
        case "Runtime.consoleAPICalled" -> {
          if (p.path("type").asText().matches("error|assert|warning")) {
            errors.add(p.toString());
          }
        }
        case "Log.entryAdded" -> {
          if (!p.path("entry").path("level").asText().equals("verbose")) {
            errors.add(p.path("entry").toString());
          }
        }
        case "Network.requestWillBeSent" -> requests.add(p.path("request").path("url").asText());
        default -> {}
      }
    }
    return new Load(errors, requests);
  }

  /** The value of {@code expression} in the page (DevTools' own, not subject to the page's CSP). */
  public JsonNode evaluate(String expression) throws Exception {
    return call("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true))
        .path("result")
        .path("value");
  }

  /** The whole page as PNG. */
  public byte[] screenshot() throws Exception {
    JsonNode size = call("Page.getLayoutMetrics", Map.of()).path("cssContentSize");
    Map<String, Object> clip =
        Map.of(
            "x",
            0,
            "y",
            0,
            "width",
            size.path("width").asDouble(),
            "height",
            size.path("height").asDouble(),
            "scale",
            1);
    JsonNode shot =
        call(
            "Page.captureScreenshot",
            Map.of("format", "png", "captureBeyondViewport", true, "clip", clip));
    return Base64.getDecoder().decode(shot.path("data").asText());
  }

  private JsonNode call(String method, Map<String, Object> params) throws Exception {
    int id = ids.incrementAndGet();
    CompletableFuture<JsonNode> reply = new CompletableFuture<>();
    pending.put(id, reply);
    ObjectNode msg = Json.mapper().createObjectNode();
    msg.put("id", id).put("method", method).set("params", Json.mapper().valueToTree(params));
    socket.sendText(msg.toString(), true).get(10, TimeUnit.SECONDS);
    JsonNode r = reply.get(60, TimeUnit.SECONDS);
    if (r.has("error")) {
      throw new IllegalStateException(method + ": " + r.path("error"));
    }
    return r.path("result");
  }

  private final class Listener implements WebSocket.Listener {
    private final StringBuilder text = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      text.append(data);
      if (last) {
        try {
          JsonNode m = Json.mapper().readTree(text.toString());
          if (m.has("id")) {
            CompletableFuture<JsonNode> f = pending.remove(m.path("id").asInt());
            if (f != null) {
              f.complete(m);
            }
          } else {
            events.add(m);
          }
        } catch (IOException e) {
          // not JSON: not ours
        }
        text.setLength(0);
      }
      ws.request(1);
      return null;
    }
  }

  private static void drain(BufferedReader r) {
    try {
      while (r.readLine() != null) {
        // chromium's own chatter
      }
    } catch (IOException e) {
      // gone
    }
  }

  @Override
  public void close() throws Exception {
    if (socket != null) {
      socket.abort();
    }
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    Cmd.runQuietly("rm", "-rf", profile.toString());
  }
}

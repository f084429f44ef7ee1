package dev.engram.surface.onebot;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.java_websocket.WebSocket;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.drafts.Draft;
import org.java_websocket.exceptions.InvalidDataException;
import org.java_websocket.framing.CloseFrame;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.handshake.ServerHandshake;
import org.java_websocket.handshake.ServerHandshakeBuilder;
import org.java_websocket.server.WebSocketServer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;

/**
 * A OneBot v11 implementation (a NapCat stand-in) for one bot account, written against the spec
 * ({@code botuniverse/onebot v11/specs}): it builds message and meta events in both message formats, reaches
 * Engram over a reverse WebSocket (Java-WebSocket client), serves a forward WebSocket (Java-WebSocket server)
 * or posts events over HTTP with the {@code X-Signature} HMAC, and answers the actions it receives with a
 * fresh {@code message_id}, keeping every action for the test to inspect. Thread-safe.
 */
public final class OneBotSimulator implements AutoCloseable {
    public static final ObjectMapper JSON = new ObjectMapper();

    /** One action Engram called: its name, parameters and the connection (or transport) it came over. */
    public record Action(String action, JsonNode params, String via) {
        /** The {@code id} of the leading {@code reply} segment: the message answered. */
        public String quotes() {
            JsonNode first = params.path("message").path(0);
            return first.path("type").asText().equals("reply") ? first.path("data").path("id").asText() : null;
        }

        /** The text of the message sent. */
        public String text() {
            StringBuilder sb = new StringBuilder();
            params.path("message").forEach(s -> {
                if (s.path("type").asText().equals("text")) sb.append(s.path("data").path("text").asText());
            });
            return sb.toString();
        }
    }

    public final long selfId;
    private final AtomicLong messageIds = new AtomicLong(1000);
    private final AtomicLong sentIds = new AtomicLong(900_000);
    private final List<Action> actions = new CopyOnWriteArrayList<>();
    private final List<AutoCloseable> owned = new CopyOnWriteArrayList<>();

    public OneBotSimulator(long selfId) {
        this.selfId = selfId;
    }

    /** Every action received so far, in order. */
    public List<Action> actions() {
        return List.copyOf(actions);
    }

    /** The {@code message_id} the simulator gave the bot's latest sent message (0 before the first). */
    public long lastSentId() {
        long last = sentIds.get();
        return last == 900_000 ? 0 : last;
    }

    /** A fresh {@code message_id}. */
    public long nextMessageId() {
        return messageIds.incrementAndGet();
    }

    // ---- events (event/message.md, event/meta.md) ----

    /** A group message event; {@code message} is a segment array or a CQ-code string. */
    public ObjectNode groupMessage(long messageId, long groupId, long userId, String nickname, String card,
                                   Object message) {
        ObjectNode e = base("message").put("message_type", "group").put("sub_type", "normal")
                .put("message_id", messageId).put("group_id", groupId).put("user_id", userId);
        e.putNull("anonymous");
        putMessage(e, message);
        e.put("font", 0);
        ObjectNode sender = e.putObject("sender").put("user_id", userId).put("nickname", nickname)
                .put("sex", "unknown").put("age", 0).put("role", "member");
        if (card != null) sender.put("card", card);
        return e;
    }

    /** A private (friend) message event. */
    public ObjectNode privateMessage(long messageId, long userId, String nickname, Object message) {
        ObjectNode e = base("message").put("message_type", "private").put("sub_type", "friend")
                .put("message_id", messageId).put("user_id", userId);
        putMessage(e, message);
        e.put("font", 0);
        e.putObject("sender").put("user_id", userId).put("nickname", nickname).put("sex", "unknown").put("age", 0);
        return e;
    }

    public ObjectNode heartbeat() {
        ObjectNode e = base("meta_event").put("meta_event_type", "heartbeat").put("interval", 15000);
        e.putObject("status").put("online", true).put("good", true);
        return e;
    }

    public ObjectNode lifecycle(String subType) {
        return base("meta_event").put("meta_event_type", "lifecycle").put("sub_type", subType);
    }

    public ObjectNode notice() {
        return base("notice").put("notice_type", "group_increase").put("sub_type", "approve")
                .put("group_id", 1).put("operator_id", 2).put("user_id", 3);
    }

    private ObjectNode base(String postType) {
        return JSON.createObjectNode().put("time", System.currentTimeMillis() / 1000).put("self_id", selfId)
                .put("post_type", postType);
    }

    private static void putMessage(ObjectNode e, Object message) {
        if (message instanceof String s) {
            e.put("message", s).put("raw_message", s);
        } else {
            e.set("message", (ArrayNode) message);
            e.put("raw_message", message.toString());
        }
    }

    // ---- messages (message/segment.md, message/string.md) ----

    /** A segment array built from {@link #text}, {@link #at}, … */
    public static ArrayNode segments(ObjectNode... segments) {
        ArrayNode a = JSON.createArrayNode();
        for (ObjectNode s : segments) a.add(s);
        return a;
    }

    public static ObjectNode segment(String type, String... keyValues) {
        ObjectNode s = JSON.createObjectNode().put("type", type);
        ObjectNode data = s.putObject("data");
        for (int i = 0; i < keyValues.length; i += 2) data.put(keyValues[i], keyValues[i + 1]);
        return s;
    }

    public static ObjectNode text(String text) {
        return segment("text", "text", text);
    }

    public static ObjectNode at(long qq) {
        return segment("at", "qq", Long.toString(qq));
    }

    public static ObjectNode reply(String id) {
        return segment("reply", "id", id);
    }

    /** Plain text escaped for the string format. */
    public static String cqText(String text) {
        return text.replace("&", "&amp;").replace("[", "&#91;").replace("]", "&#93;");
    }

    /** A CQ code, its parameter values escaped. */
    public static String cq(String type, String... keyValues) {
        StringBuilder sb = new StringBuilder("[CQ:").append(type);
        for (int i = 0; i < keyValues.length; i += 2) {
            sb.append(',').append(keyValues[i]).append('=').append(cqText(keyValues[i + 1]).replace(",", "&#44;"));
        }
        return sb.append(']').toString();
    }

    // ---- actions (api/public.md) ----

    /** Records an action and builds its response: send_* get a fresh message_id. */
    private ObjectNode answer(JsonNode request, String via) {
        String action = request.path("action").asText();
        actions.add(new Action(action, request.path("params"), via));
        ObjectNode response = JSON.createObjectNode();
        if (action.equals("send_group_msg") || action.equals("send_private_msg") || action.equals("send_msg")) {
            response.put("status", "ok").put("retcode", 0).putObject("data").put("message_id", sentIds.incrementAndGet());
        } else {
            response.put("status", "failed").put("retcode", 1404).putNull("data");
        }
        if (request.has("echo")) response.set("echo", request.get("echo"));
        return response;
    }

    // ---- reverse WebSocket (communication/ws-reverse.md) ----

    /** Opens a reverse WebSocket client connection; see {@link Reverse#open()}. */
    public Reverse reverse(URI url, String role, String accessToken) {
        Map<String, String> headers = new java.util.HashMap<>();
        headers.put("X-Self-ID", Long.toString(selfId));
        if (role != null) headers.put("X-Client-Role", role);
        if (accessToken != null) headers.put("Authorization", "Bearer " + accessToken);
        Reverse r = new Reverse(url, headers, role == null ? "Universal" : role);
        owned.add(r::shut);
        return r;
    }

    /** One reverse connection: sends events, answers the actions that arrive on it. */
    public final class Reverse extends WebSocketClient {
        private final String role;
        private final CountDownLatch closedLatch = new CountDownLatch(1);
        private volatile int closeCode;
        private volatile String closeReason = "";

        Reverse(URI url, Map<String, String> headers, String role) {
            super(url, headers);
            this.role = role;
        }

        /** @return whether the upgrade succeeded */
        public boolean open() throws InterruptedException {
            return connectBlocking(10, TimeUnit.SECONDS);
        }

        public void event(JsonNode event) {
            send(event.toString());
        }

        public void raw(String frame) {
            send(frame);
        }

        /** The reason of the close, e.g. {@code Invalid status code received: 401 …} for a refused upgrade. */
        public String closeReason() throws InterruptedException {
            closedLatch.await(10, TimeUnit.SECONDS);
            return closeReason;
        }

        public int closeCode() throws InterruptedException {
            closedLatch.await(10, TimeUnit.SECONDS);
            return closeCode;
        }

        @Override
        public void onOpen(ServerHandshake handshake) {
        }

        @Override
        public void onMessage(String message) {
            try {
                JsonNode request = JSON.readTree(message);
                if (request.has("action")) send(answer(request, "reverse:" + role).toString());
            } catch (IOException e) {
                throw new IllegalStateException("Engram sent a frame that is not JSON: " + message, e);
            }
        }

        @Override
        public void onClose(int code, String reason, boolean remote) {
            closeCode = code;
            closeReason = reason == null ? "" : reason;
            closedLatch.countDown();
        }

        @Override
        public void onError(Exception ex) {
        }

        /** Closes the connection and waits for the close handshake. */
        void shut() throws InterruptedException {
            if (isOpen()) closeBlocking();
        }
    }

    // ---- forward WebSocket (communication/ws.md) ----

    /** Starts a forward WebSocket server on a free port that requires {@code accessToken}. */
    public Forward forward(String accessToken) throws InterruptedException {
        Forward f = new Forward(accessToken);
        f.setReuseAddr(true);
        f.start();
        if (!f.started.await(10, TimeUnit.SECONDS)) throw new IllegalStateException("server did not start");
        owned.add(f);
        return f;
    }

    /** The implementation's WebSocket server ({@code /}: Universal); counts the connections Engram opened. */
    public final class Forward extends WebSocketServer implements AutoCloseable {
        private final String accessToken;
        private final CountDownLatch started = new CountDownLatch(1);
        private final AtomicLong opened = new AtomicLong();
        private final AtomicLong refused = new AtomicLong();

        Forward(String accessToken) {
            super(new InetSocketAddress("127.0.0.1", 0));
            this.accessToken = accessToken;
        }

        public URI url() {
            return URI.create("ws://127.0.0.1:" + getPort() + "/");
        }

        public long opened() {
            return opened.get();
        }

        public long refused() {
            return refused.get();
        }

        /** Sends an event to every open connection. */
        public void event(JsonNode event) {
            broadcast(event.toString());
        }

        /** Drops every connection abruptly, as a crash or network loss would. */
        public void drop() {
            getConnections().forEach(c -> c.closeConnection(CloseFrame.ABNORMAL_CLOSE, "simulated drop"));
        }

        @Override
        public ServerHandshakeBuilder onWebsocketHandshakeReceivedAsServer(WebSocket conn, Draft draft,
                                                                          ClientHandshake request)
                throws InvalidDataException {
            if (!("Bearer " + accessToken).equals(request.getFieldValue("Authorization"))) {
                refused.incrementAndGet();
                throw new InvalidDataException(CloseFrame.POLICY_VALIDATION, "401 wrong access token");
            }
            return super.onWebsocketHandshakeReceivedAsServer(conn, draft, request);
        }

        @Override
        public void onOpen(WebSocket conn, ClientHandshake handshake) {
            opened.incrementAndGet();
            conn.send(lifecycle("connect").toString());
        }

        @Override
        public void onClose(WebSocket conn, int code, String reason, boolean remote) {
        }

        @Override
        public void onMessage(WebSocket conn, String message) {
            try {
                JsonNode request = JSON.readTree(message);
                if (request.has("action")) conn.send(answer(request, "forward").toString());
            } catch (IOException e) {
                throw new IllegalStateException("Engram sent a frame that is not JSON: " + message, e);
            }
        }

        @Override
        public void onError(WebSocket conn, Exception ex) {
        }

        @Override
        public void onStart() {
            started.countDown();
        }

        @Override
        public void close() throws InterruptedException {
            stop(1000);
        }
    }

    // ---- HTTP POST and HTTP API (communication/http-post.md, http.md) ----

    /** Serves the HTTP API ({@code POST /:action}) on a free port, requiring {@code accessToken}. */
    public URI httpApi(String accessToken) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            byte[] body;
            int status;
            if (!("Bearer " + accessToken).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                status = 401;
                body = new byte[0];
            } else {
                ObjectNode request = JSON.createObjectNode().put("action", exchange.getRequestURI().getPath().substring(1));
                request.set("params", JSON.readTree(exchange.getRequestBody()));
                ObjectNode response = answer(request, "http");
                status = response.path("retcode").asInt() == 1404 ? 404 : 200;
                body = response.toString().getBytes(StandardCharsets.UTF_8);
            }
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        owned.add(() -> server.stop(0));
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /**
     * Posts one event as the implementation's HTTP POST does, signed with {@code secret} when it is not null.
     *
     * @return the HTTP status Engram answered
     */
    public int post(HttpClient client, URI url, JsonNode event, String secret) throws IOException, InterruptedException {
        byte[] body = event.toString().getBytes(StandardCharsets.UTF_8);
        HttpRequest.Builder b = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").header("X-Self-ID", Long.toString(selfId))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (secret != null) b.header("X-Signature", "sha1=" + hmacSha1Hex(secret, body));
        return client.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    static String hmacSha1Hex(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws Exception {
        for (AutoCloseable c : owned.reversed()) c.close();
    }
}

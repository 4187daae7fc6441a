package dev.switchboard.app.support;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.github.tomakehurst.wiremock.WireMockServer;

/**
 * One OpenAI-compatible fake (WireMock on loopback) for the integration tests of this JVM; the
 * app's {@code fake} provider points at it. Tests stub what they need on {@link #server()}.
 */
public final class FakeModelServer {

    private FakeModelServer() {
    }

    private static final class Holder {
        static final WireMockServer SERVER = start();
        static final WireMockServer SECOND = start();

        private static WireMockServer start() {
            WireMockServer server = new WireMockServer(wireMockConfig().bindAddress("127.0.0.1").dynamicPort());
            server.start();
            Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "fake-model-server-stop"));
            return server;
        }
    }

    public static WireMockServer server() {
        return Holder.SERVER;
    }

    public static String baseUrl() {
        return "http://127.0.0.1:" + server().port() + "/v1";
    }

    /** A second, independent OpenAI-compatible fake: the app's {@code second} provider (experiments compare providers). */
    public static WireMockServer second() {
        return Holder.SECOND;
    }

    public static String secondBaseUrl() {
        return "http://127.0.0.1:" + second().port() + "/v1";
    }
}

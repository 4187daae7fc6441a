package dev.switchboard.app.support;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.github.tomakehurst.wiremock.WireMockServer;

/**
 * One fake Twilio REST API (WireMock on loopback) for the integration tests of this JVM; the app's
 * {@code switchboard.twilio.api-base-url} points at it. Tests stub and verify per account SID
 * ({@code /2010-04-01/Accounts/<sid>/Messages.json}), so they never see each other's messages.
 */
public final class FakeTwilioServer {

    private FakeTwilioServer() {
    }

    private static final class Holder {
        static final WireMockServer SERVER = start();

        private static WireMockServer start() {
            WireMockServer server = new WireMockServer(wireMockConfig().bindAddress("127.0.0.1").dynamicPort());
            server.start();
            Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "fake-twilio-server-stop"));
            return server;
        }
    }

    public static WireMockServer server() {
        return Holder.SERVER;
    }

    public static String baseUrl() {
        return "http://127.0.0.1:" + server().port();
    }
}

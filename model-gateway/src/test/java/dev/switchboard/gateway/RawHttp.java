package dev.switchboard.gateway;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** What the hand-written loopback servers of these tests need of HTTP/1.1 on a raw socket. */
final class RawHttp {

    private RawHttp() {
    }

    /** Reads one request (head and Content-Length body); false at end of stream. */
    static boolean readRequest(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            head.write(b);
            byte[] h = head.toByteArray();
            int n = h.length;
            if (n >= 4 && h[n - 4] == '\r' && h[n - 3] == '\n' && h[n - 2] == '\r' && h[n - 1] == '\n') {
                String headers = head.toString(StandardCharsets.US_ASCII).toLowerCase();
                int i = headers.indexOf("content-length:");
                if (i >= 0) {
                    in.readNBytes(Integer.parseInt(headers.substring(i + 15, headers.indexOf('\r', i)).strip()));
                }
                return true;
            }
        }
        return false;
    }
}

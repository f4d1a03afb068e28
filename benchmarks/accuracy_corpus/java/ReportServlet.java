// Reporting endpoints of a back office: hand-written accuracy example (markers are the truth).
package com.example.backoffice;

import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Random;
import javax.net.ssl.X509TrustManager;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

public class ReportServlet extends HttpServlet {
    // expect: hardcoded-secret
    private static final String DB_PASSWORD = "Tr0ub4dor&3-prod";
    // ok: hardcoded-secret
    private static final String DB_USER = "reports";

    private static volatile Connection shared;

    private Connection connection;

    static Connection shared(ConnectionFactory factory) throws SQLException {
        // expect: double-checked-locking
        if (shared == null) {
            synchronized (ReportServlet.class) {
                if (shared == null) {
                    shared = factory.open(DB_USER, DB_PASSWORD);
                }
            }
        }
        return shared;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String customer = request.getParameter("customer");
        try (Statement statement = connection.createStatement()) {
            // expect: sql-injection
            ResultSet rows = statement.executeQuery("SELECT id, total FROM invoices WHERE customer = '" + customer + "'");
            while (rows.next()) {
                response.getWriter().println(rows.getLong("id"));
            }
        } catch (SQLException e) {
            response.sendError(500);
        }
    }

    ResultSet invoicesSince(String day) throws SQLException {
        // ok: sql-injection
        PreparedStatement statement = connection.prepareStatement("SELECT id FROM invoices WHERE day >= ?");
        statement.setString(1, day);
        return statement.executeQuery();
    }

    void download(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String name = request.getParameter("file");
        // expect: path-traversal
        try (InputStream in = new FileInputStream(new File("/srv/reports", name))) {
            in.transferTo(response.getOutputStream());
        }
    }

    void greet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        // expect: xss-sink
        response.getWriter().write("<h1>Hello " + request.getParameter("name") + "</h1>");
    }

    void export(HttpServletRequest request) throws IOException {
        String format = request.getParameter("format");
        // expect: command-injection
        Runtime.getRuntime().exec("report-export --format " + format);
    }

    void exportSafely(String format) throws IOException {
        // ok: command-injection
        new ProcessBuilder("report-export", "--format", format).start();
    }

    Object restore(InputStream upload) throws IOException, ClassNotFoundException {
        try (ObjectInputStream in = new ObjectInputStream(upload)) {
            // expect: insecure-deserialization
            return in.readObject();
        }
    }

    String passwordHash(String password) throws NoSuchAlgorithmException {
        // expect: weak-hash
        MessageDigest digest = MessageDigest.getInstance("MD5");
        return new String(digest.digest(password.getBytes()));
    }

    String resetToken() {
        // expect: insecure-random
        String token = Long.toHexString(new Random().nextLong());
        return token;
    }

    String resetTokenSafely() {
        // ok: insecure-random
        String token = Long.toHexString(new SecureRandom().nextLong());
        return token;
    }

    void closeQuietly(Connection c) {
        try {
            c.close();
        // expect: swallowed-exception
        } catch (SQLException ignored) {
        }
    }

    void audit(Runnable action) {
        try {
            action.run();
        // expect: broad-except
        } catch (Exception e) {
            System.err.println("audit failed: " + e.getMessage());
        }
    }

    void auditStrictly(Runnable action) {
        try {
            action.run();
        // ok: broad-except, swallowed-exception
        } catch (IllegalStateException e) {
            throw new RuntimeException("audit failed", e);
        }
    }
}

interface ConnectionFactory {
    Connection open(String user, String password) throws SQLException;
}

class TrustEverything implements X509TrustManager {
    // expect: tls-verification-disabled
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    // expect: tls-verification-disabled
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }
}

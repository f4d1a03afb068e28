import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

public class Inventory {
    private static Inventory instance;
    private final List<StockListener> listeners = new ArrayList<>();

    private Inventory() {}

    public static synchronized Inventory getInstance() {
        if (instance == null) {
            instance = new Inventory();
        }
        return instance;
    }

    public void addListener(StockListener listener) {
        listeners.add(listener);
    }

    public void restock(String sku, int amount) {
        for (StockListener listener : listeners) {
            listener.onRestock(sku, amount);
        }
    }

    public ResultSet find(Connection connection, String sku) throws Exception {
        Statement statement = connection.createStatement();
        return statement.executeQuery("SELECT * FROM stock WHERE sku = '" + sku + "'");
    }

    public void reload() {
        try {
            Runtime.getRuntime().exec("reload-stock");
        } catch (Exception e) {
        }
    }
}

interface StockListener {
    void onRestock(String sku, int amount);
}

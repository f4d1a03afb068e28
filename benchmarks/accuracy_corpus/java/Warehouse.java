// Warehouse domain: hand-written accuracy example (markers are the truth).
package com.example.warehouse;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;

// expect: dto
record StockItem(String sku, int quantity, String location) {}

interface StockListener {
    void stockChanged(StockItem item);
}

// expect: observer
class StockLevels {
    private final Map<String, StockItem> items = new HashMap<>();
    private final List<StockListener> listeners = new ArrayList<>();

    void addListener(StockListener listener) {
        listeners.add(listener);
    }

    void update(StockItem item) {
        items.put(item.sku(), item);
        for (StockListener listener : listeners) {
            listener.stockChanged(item);
        }
    }
}

// expect: singleton
final class WarehouseClock {
    private static WarehouseClock instance;

    private WarehouseClock() {}

    static synchronized WarehouseClock getInstance() {
        if (instance == null) {
            instance = new WarehouseClock();
        }
        return instance;
    }

    long now() {
        return System.currentTimeMillis();
    }
}

// expect: dto
class Shipment {
    final String destination;
    final List<StockItem> items;
    final boolean express;

    Shipment(String destination, List<StockItem> items, boolean express) {
        this.destination = destination;
        this.items = items;
        this.express = express;
    }
}

// expect: builder
class ShipmentBuilder {
    private String destination;
    private final List<StockItem> items = new ArrayList<>();
    private boolean express;

    ShipmentBuilder to(String destination) {
        this.destination = destination;
        return this;
    }

    ShipmentBuilder with(StockItem item) {
        items.add(item);
        return this;
    }

    ShipmentBuilder express() {
        this.express = true;
        return this;
    }

    Shipment build() {
        return new Shipment(destination, items, express);
    }
}

interface PickingOrder {
    List<StockItem> sort(List<StockItem> items);
}

class ByLocation implements PickingOrder {
    public List<StockItem> sort(List<StockItem> items) {
        List<StockItem> sorted = new ArrayList<>(items);
        sorted.sort((a, b) -> a.location().compareTo(b.location()));
        return sorted;
    }
}

class BySku implements PickingOrder {
    public List<StockItem> sort(List<StockItem> items) {
        List<StockItem> sorted = new ArrayList<>(items);
        sorted.sort((a, b) -> a.sku().compareTo(b.sku()));
        return sorted;
    }
}

// expect: strategy
class Picker {
    private PickingOrder order;

    Picker(PickingOrder order) {
        this.order = order;
    }

    void setOrder(PickingOrder order) {
        this.order = order;
    }

    List<StockItem> pickList(Shipment shipment) {
        return order.sort(shipment.items);
    }
}

interface StorageUnit {
    int capacity();
}

class Shelf implements StorageUnit {
    public int capacity() {
        return 40;
    }
}

// expect: composite
class Aisle implements StorageUnit {
    private final List<StorageUnit> units = new ArrayList<>();

    void add(StorageUnit unit) {
        units.add(unit);
    }

    public int capacity() {
        int total = 0;
        for (StorageUnit unit : units) {
            total += unit.capacity();
        }
        return total;
    }
}

class Dispatcher {
    // expect: producer-consumer
    private final BlockingQueue<Shipment> outgoing = new LinkedBlockingQueue<>();
    // expect: thread-pool
    private final ExecutorService trucks = Executors.newFixedThreadPool(4);

    void enqueue(Shipment shipment) throws InterruptedException {
        outgoing.put(shipment);
    }

    void drive() throws InterruptedException {
        while (true) {
            Shipment next = outgoing.take();
            trucks.submit(() -> deliver(next));
        }
    }

    int deliver(Shipment shipment) {
        // expect: magic-number
        int minutes = shipment.items.size() * 3;
        // expect: magic-number
        if (minutes > 45) {
            return minutes;
        }
        return minutes;
    }

    int cancel(Shipment shipment) {
        if (shipment == null) {
            return -1;
        }
        return 0;
    }

    void shutdown(boolean failed) {
        if (failed) {
            System.exit(1);
            // expect: unreachable-code
            trucks.shutdown();
        }
    }
}

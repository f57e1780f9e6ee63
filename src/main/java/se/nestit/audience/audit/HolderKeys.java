package se.nestit.audience.audit;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Keys for holders that come as objects (as a Spark build wrote them): equal holders get one key. */
public final class HolderKeys implements AuditTrail.Holders {

    private final Map<AuditEntry.Holder, Integer> keys = new HashMap<>();
    private final List<AuditEntry.Holder> holders = new ArrayList<>();

    public synchronized int key(AuditEntry.Holder h) {
        return keys.computeIfAbsent(h, k -> {
            holders.add(k);
            return holders.size() - 1;
        });
    }

    @Override
    public synchronized AuditEntry.Holder holder(int key) {
        return holders.get(key);
    }
}

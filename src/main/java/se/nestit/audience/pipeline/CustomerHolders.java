package se.nestit.audience.pipeline;

import java.util.BitSet;
import java.util.EnumMap;
import java.util.Map;
import se.nestit.audience.audit.AuditEntry;
import se.nestit.audience.consent.ConsentSignal;
import se.nestit.audience.consent.GateVerdict;
import se.nestit.audience.identity.Normalization;
import se.nestit.audience.source.ConsentRecord;

/** Finds a hash's customers in this run's customer table, hashing them the profile's way. */
final class CustomerHolders implements HashHolders {

    private final CustomerTable customers;
    private final Map<Normalization, ProfileHashes> exportable;
    private final Map<Normalization, ProfileHashes> everyone = new EnumMap<>(Normalization.class);

    /** @param exportable per profile, the hashes of the exported customers (every add's customers are there) */
    CustomerHolders(CustomerTable customers, Map<Normalization, ProfileHashes> exportable) {
        this.customers = customers;
        this.exportable = exportable;
    }

    /**
     * A customer's key: twice their index, plus one when the holder names the records behind
     * Google's signals (an exported customer with such a record, at a Google destination).
     */
    @Override
    public Search search(Normalization profile, boolean signals) {
        return new Walk(profile, signals);
    }

    /** One walk through a sorted set's hashes: the exported customers first, every customer when they hold none. */
    private final class Walk implements Search {
        private final Normalization profile;
        private final boolean signals;
        private final ProfileHashes.Search adds;
        /** Among every customer: made when first needed, as only removes need it. */
        private ProfileHashes.Search anyone;

        Walk(Normalization profile, boolean signals) {
            this.profile = profile;
            this.signals = signals;
            ProfileHashes hashes = exportable.get(profile);
            this.adds = hashes == null ? null : hashes.search();
        }

        @Override
        public int[] keys(byte[] digest, boolean add) {
            int[] found = add && adds != null ? adds.customersWith(digest) : new int[0];
            if (found.length == 0) {
                // a remove, or an add settled from an earlier run: look among every customer
                if (anyone == null) {
                    anyone = everyone(profile).search();
                }
                found = anyone.customersWith(digest);
            }
            for (int i = 0; i < found.length; i++) {
                int c = found[i];
                found[i] = 2 * c + (signals && hasSignalRecord(c) ? 1 : 0);
            }
            return found;
        }
    }

    private boolean hasSignalRecord(int c) {
        if (!customers.verdict(c).isExportable()) {
            return false;
        }
        for (ConsentSignal s : ConsentSignal.values()) {
            if (customers.signalConsent(s, c) != null) {
                return true;
            }
        }
        return false;
    }

    @Override
    public AuditEntry.Holder holder(int key) {
        int c = key >>> 1;
        if ((key & 1) == 0) {
            return new AuditEntry.Holder(customers.id(c), customers.verdict(c).code(), customers.consent(c));
        }
        Map<ConsentSignal, ConsentRecord> records = new EnumMap<>(ConsentSignal.class);
        for (ConsentSignal s : ConsentSignal.values()) {
            ConsentRecord r = customers.signalConsent(s, c);
            if (r != null) {
                records.put(s, r);
            }
        }
        return new AuditEntry.Holder(customers.id(c), customers.verdict(c).code(), customers.consent(c), records);
    }

    /** The customers, whatever the gate said of them, whose email hashes the profile's way to {@code digest}. */
    int[] withEmail(Normalization profile, byte[] digest) {
        return everyone(profile).customersWith(digest);
    }

    /** Every customer with a usable email, hashed the profile's way: only needed for removes. */
    private synchronized ProfileHashes everyone(Normalization profile) {
        return everyone.computeIfAbsent(profile, p -> {
            BitSet withEmail = new BitSet(customers.size());
            for (int i = 0; i < customers.size(); i++) {
                GateVerdict v = customers.verdict(i);
                if (v != GateVerdict.NO_EMAIL && v != GateVerdict.INVALID_EMAIL) {
                    withEmail.set(i);
                }
            }
            return HashStage.hash(customers, Map.of(p, withEmail), Progress.NONE)
                    .get(p);
        });
    }
}

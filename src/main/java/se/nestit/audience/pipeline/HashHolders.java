package se.nestit.audience.pipeline;

import se.nestit.audience.audit.AuditTrail;
import se.nestit.audience.identity.Normalization;

/**
 * The customers behind a hash, as the audit trail names them, with the verdict and consent of
 * each: by key, so that a customer the trail has named already costs no object.
 */
interface HashHolders extends AuditTrail.Holders {

    /**
     * A search for the customers of one profile's hashes, fastest when asked in ascending order
     * of hash, as a sorted set gives them; one search for one thread.
     *
     * @param signals whether to name the records behind Google's consent signals too
     */
    Search search(Normalization profile, boolean signals);

    /** Finds hashes' customers. */
    interface Search {
        /**
         * The keys of the hash's customers: the same key for the same holder, as {@link #holder} gives it.
         *
         * @param add whether the hash is being added: then the exported customers behind it are the
         *     ones whose consent allowed it; for a remove, anyone whose email gives the hash
         */
        int[] keys(byte[] digest, boolean add);
    }
}

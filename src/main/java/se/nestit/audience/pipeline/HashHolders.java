package se.nestit.audience.pipeline;

import java.util.List;
import se.nestit.audience.audit.AuditEntry;
import se.nestit.audience.identity.Normalization;

/** The customers behind a hash, as the audit trail names them, with the verdict and consent of each. */
interface HashHolders {

    /**
     * @param add whether the hash is being added: then the exported customers behind it are the
     *     ones whose consent allowed it; for a remove, anyone whose email gives the hash
     * @param signals whether to name the records behind Google's consent signals too
     */
    List<AuditEntry.Holder> of(Normalization profile, byte[] digest, boolean add, boolean signals);
}

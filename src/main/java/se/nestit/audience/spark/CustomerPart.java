package se.nestit.audience.spark;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import scala.Tuple2;
import se.nestit.audience.segment.SegmentProgram;
import se.nestit.audience.source.ByteRecord;
import se.nestit.audience.source.CustomerRows;
import se.nestit.audience.source.InputFile;
import se.nestit.audience.source.RowView;

/** Checks customers.csv rows and tests each against the rules' customer filters while its cells are at hand. */
final class CustomerPart implements PartBody<Tuple2<String, CustomerCells>> {

    private static final long serialVersionUID = 1L;

    private final RunSpec spec;

    CustomerPart(RunSpec spec) {
        this.spec = spec;
    }

    @Override
    public Sink<Tuple2<String, CustomerCells>> open() {
        RunSpec.Compiled c = spec.compiled();
        CustomerRows rows = new CustomerRows(c.headers().get(InputFile.CUSTOMERS), c.timestamps());
        SegmentProgram program = c.program();
        List<Tuple2<String, CustomerCells>> out = new ArrayList<>();
        return new Sink<>() {
            @Override
            public String accept(RowView row, long order) {
                return rows.check(
                        row,
                        order,
                        customer -> {
                            boolean[] filters = new boolean[program.customerFilterCount()];
                            for (int slot = 0; slot < filters.length; slot++) {
                                filters[slot] = program.customerMatches(slot, customer.cells());
                            }
                            out.add(new Tuple2<>(
                                    customer.customerId(), new CustomerCells(customer.email(), filters, order)));
                            // a duplicate id is rejected once all rows are grouped by id
                            return null;
                        },
                        this::rejected);
            }

            @Override
            public void misshapen(ByteRecord record) {
                rows.misshapen(record, this::rejected);
            }

            /** Still the person's address: grouped with the id, for a suppression by it to follow. */
            private void rejected(String customerId, String email) {
                out.add(new Tuple2<>(customerId, CustomerCells.rejected(email)));
            }

            @Override
            public Iterator<Tuple2<String, CustomerCells>> results() {
                return out.iterator();
            }
        };
    }
}

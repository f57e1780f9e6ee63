package se.nestit.audience.destination.googleads;

import com.google.ads.googleads.v23.common.Consent;
import com.google.ads.googleads.v23.common.UserData;
import com.google.ads.googleads.v23.enums.ConsentStatusEnum.ConsentStatus;
import com.google.ads.googleads.v23.enums.CustomerMatchUploadKeyTypeEnum.CustomerMatchUploadKeyType;
import com.google.ads.googleads.v23.enums.CustomerStatusEnum.CustomerStatus;
import com.google.ads.googleads.v23.enums.OfflineUserDataJobFailureReasonEnum.OfflineUserDataJobFailureReason;
import com.google.ads.googleads.v23.enums.OfflineUserDataJobStatusEnum.OfflineUserDataJobStatus;
import com.google.ads.googleads.v23.enums.OfflineUserDataJobTypeEnum.OfflineUserDataJobType;
import com.google.ads.googleads.v23.enums.UserListCrmDataSourceTypeEnum.UserListCrmDataSourceType;
import com.google.ads.googleads.v23.enums.UserListTypeEnum.UserListType;
import com.google.ads.googleads.v23.errors.AuthenticationErrorEnum.AuthenticationError;
import com.google.ads.googleads.v23.errors.DatabaseErrorEnum.DatabaseError;
import com.google.ads.googleads.v23.errors.ErrorCode;
import com.google.ads.googleads.v23.errors.ErrorDetails;
import com.google.ads.googleads.v23.errors.ErrorLocation;
import com.google.ads.googleads.v23.errors.ErrorLocation.FieldPathElement;
import com.google.ads.googleads.v23.errors.GoogleAdsError;
import com.google.ads.googleads.v23.errors.GoogleAdsFailure;
import com.google.ads.googleads.v23.errors.NotAllowlistedErrorEnum.NotAllowlistedError;
import com.google.ads.googleads.v23.errors.OfflineUserDataJobErrorEnum.OfflineUserDataJobError;
import com.google.ads.googleads.v23.errors.QueryErrorEnum.QueryError;
import com.google.ads.googleads.v23.errors.QuotaErrorDetails;
import com.google.ads.googleads.v23.errors.QuotaErrorEnum.QuotaError;
import com.google.ads.googleads.v23.errors.RequestErrorEnum.RequestError;
import com.google.ads.googleads.v23.errors.UserListErrorEnum.UserListError;
import com.google.ads.googleads.v23.resources.Customer;
import com.google.ads.googleads.v23.resources.OfflineUserDataJob;
import com.google.ads.googleads.v23.resources.UserList;
import com.google.ads.googleads.v23.services.AddOfflineUserDataJobOperationsRequest;
import com.google.ads.googleads.v23.services.AddOfflineUserDataJobOperationsResponse;
import com.google.ads.googleads.v23.services.CreateOfflineUserDataJobRequest;
import com.google.ads.googleads.v23.services.CreateOfflineUserDataJobResponse;
import com.google.ads.googleads.v23.services.GoogleAdsRow;
import com.google.ads.googleads.v23.services.GoogleAdsServiceGrpc;
import com.google.ads.googleads.v23.services.MutateUserListResult;
import com.google.ads.googleads.v23.services.MutateUserListsRequest;
import com.google.ads.googleads.v23.services.MutateUserListsResponse;
import com.google.ads.googleads.v23.services.OfflineUserDataJobOperation;
import com.google.ads.googleads.v23.services.OfflineUserDataJobServiceGrpc;
import com.google.ads.googleads.v23.services.RunOfflineUserDataJobRequest;
import com.google.ads.googleads.v23.services.SearchGoogleAdsRequest;
import com.google.ads.googleads.v23.services.SearchGoogleAdsResponse;
import com.google.ads.googleads.v23.services.SearchGoogleAdsStreamRequest;
import com.google.ads.googleads.v23.services.SearchGoogleAdsStreamResponse;
import com.google.ads.googleads.v23.services.UserListOperation;
import com.google.ads.googleads.v23.services.UserListServiceGrpc;
import com.google.longrunning.Operation;
import com.google.protobuf.Any;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Google Ads API of our own for tests, built on the published v23 service stubs and reached by
 * the real generated clients: it keeps user lists and their members, runs Customer Match jobs when
 * told, checks every request against the rules of the real API (and against our own promises:
 * consent GRANTED on every job), answers errors the way Google does (a {@code GoogleAdsFailure} in
 * the {@code google.ads.googleads.v23.errors.googleadsfailure-bin} trailer, plus {@code request-id}),
 * and injects faults on demand. A rule broken by the client is also written to {@link #violations()}.
 */
final class FakeGoogleAds implements AutoCloseable {

    static final String CUSTOMER = "1234567890";
    static final String DEVELOPER_TOKEN = "fake-developer-token";

    static final Metadata.Key<byte[]> FAILURE_KEY =
            Metadata.Key.of("google.ads.googleads.v23.errors.googleadsfailure-bin", Metadata.BINARY_BYTE_MARSHALLER);
    static final Metadata.Key<String> REQUEST_ID = Metadata.Key.of("request-id", Metadata.ASCII_STRING_MARSHALLER);
    private static final Metadata.Key<String> DEVELOPER_TOKEN_HEADER =
            Metadata.Key.of("developer-token", Metadata.ASCII_STRING_MARSHALLER);
    private static final Metadata.Key<String> LOGIN_CUSTOMER_HEADER =
            Metadata.Key.of("login-customer-id", Metadata.ASCII_STRING_MARSHALLER);
    private static final Context.Key<Metadata> HEADERS = Context.key("headers");
    private static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");
    private static final String LITERAL = "'((?:[^'\\\\]|\\\\.)*)'";
    private static final Pattern LIST_BY_NAME = Pattern.compile(
            "SELECT user_list\\.resource_name, user_list\\.type, user_list\\.description FROM user_list WHERE user_list\\.name = "
                    + LITERAL);
    private static final Pattern LIST_BY_RESOURCE = Pattern.compile(
            "SELECT user_list\\.resource_name FROM user_list WHERE user_list\\.resource_name = " + LITERAL);
    private static final Pattern JOB_STATUS = Pattern.compile("SELECT offline_user_data_job\\.resource_name, "
            + "offline_user_data_job\\.status, offline_user_data_job\\.failure_reason FROM offline_user_data_job "
            + "WHERE offline_user_data_job\\.resource_name = " + LITERAL);

    static final String CUSTOMER_QUERY = "SELECT customer.id, customer.descriptive_name, customer.status FROM customer";
    static final String ALL_LISTS_QUERY =
            "SELECT user_list.resource_name, user_list.name, user_list.type, user_list.description FROM user_list";

    /** How jobs that are run end. */
    enum JobOutcome {
        SUCCESS,
        FAILED,
        HOLD
    }

    /** An error to answer one call with. */
    record Fault(Status.Code status, GoogleAdsFailure failure) {
        static Fault unavailable() {
            return new Fault(Status.Code.UNAVAILABLE, null);
        }

        static Fault quota(Duration retryDelay) {
            return new Fault(
                    Status.Code.RESOURCE_EXHAUSTED,
                    FakeGoogleAds.failure(
                            ErrorCode.newBuilder().setQuotaError(QuotaError.RESOURCE_EXHAUSTED),
                            "Too many requests.",
                            ErrorDetails.newBuilder()
                                    .setQuotaErrorDetails(QuotaErrorDetails.newBuilder()
                                            .setRetryDelay(com.google.protobuf.Duration.newBuilder()
                                                    .setSeconds(retryDelay.getSeconds())
                                                    .setNanos(retryDelay.getNano())))
                                    .build()));
        }

        static Fault concurrentModification() {
            return new Fault(
                    Status.Code.ABORTED,
                    FakeGoogleAds.failure(
                            ErrorCode.newBuilder().setDatabaseError(DatabaseError.CONCURRENT_MODIFICATION),
                            "Multiple requests were attempting to modify the same resource at once.",
                            null));
        }

        static Fault notAllowlisted() {
            return new Fault(
                    Status.Code.PERMISSION_DENIED,
                    FakeGoogleAds.failure(
                            ErrorCode.newBuilder()
                                    .setNotAllowlistedError(
                                            NotAllowlistedError.CUSTOMER_NOT_ALLOWLISTED_FOR_THIS_FEATURE),
                            "Customer is not on the allow-list for this feature.",
                            null));
        }

        static Fault termsNotAccepted() {
            return new Fault(
                    Status.Code.INVALID_ARGUMENT,
                    FakeGoogleAds.failure(
                            ErrorCode.newBuilder()
                                    .setOfflineUserDataJobError(
                                            OfflineUserDataJobError.CUSTOMER_NOT_ACCEPTED_CUSTOMER_DATA_TERMS),
                            "Customer has not accepted the customer data terms in the user list.",
                            null));
        }
    }

    /** A job as the fake keeps it. */
    static final class Job {
        final String resourceName;
        final String userList;
        final List<OfflineUserDataJobOperation> operations = new ArrayList<>();
        final List<Integer> requestSizes = new ArrayList<>();
        OfflineUserDataJobStatus status = OfflineUserDataJobStatus.PENDING;
        JobOutcome outcome;
        int pollsUntilDone;

        Job(String resourceName, String userList) {
            this.resourceName = resourceName;
            this.userList = userList;
        }

        OfflineUserDataJobStatus status() {
            return status;
        }

        List<Integer> requestSizes() {
            return requestSizes;
        }

        boolean removes() {
            return operations.stream().anyMatch(OfflineUserDataJobOperation::hasRemove);
        }

        boolean creates() {
            return operations.stream().anyMatch(OfflineUserDataJobOperation::hasCreate);
        }

        boolean removesAll() {
            return !operations.isEmpty() && operations.get(0).getRemoveAll();
        }
    }

    private final int maxIdentifiers;
    private final String loginCustomerId;
    private final Map<String, UserList> lists = new LinkedHashMap<>();
    private final Map<String, Set<String>> members = new HashMap<>();
    private final Map<String, Job> jobs = new LinkedHashMap<>();
    private final Map<String, Queue<Fault>> faults = new HashMap<>();
    private final Map<String, AtomicInteger> calls = new HashMap<>();
    private final Set<String> refused = new HashSet<>();
    private final List<String> violations = new ArrayList<>();
    private final AtomicInteger ids = new AtomicInteger(1000);
    private final AtomicInteger addsInFlight = new AtomicInteger();
    private boolean refuseNextBatch;
    private CustomerStatus customerStatus = CustomerStatus.ENABLED;
    private JobOutcome outcome = JobOutcome.SUCCESS;
    private int pollsUntilDone = 1;
    private Server server;
    private String inProcessName;

    /**
     * @param maxIdentifiers identifiers one AddOfflineUserDataJobOperations may carry (the configured identifiers_per_request)
     * @param loginCustomerId the login-customer-id header every call must carry, or null for none
     */
    FakeGoogleAds(int maxIdentifiers, String loginCustomerId) {
        this.maxIdentifiers = maxIdentifiers;
        this.loginCustomerId = loginCustomerId;
    }

    /** Starts in-process; {@link #services()} reaches it. */
    FakeGoogleAds startInProcess() throws IOException {
        inProcessName = "fake-google-ads-" + UUID.randomUUID();
        server = services(InProcessServerBuilder.forName(inProcessName)).build().start();
        return this;
    }

    /** Starts on a loopback port; returns {@code 127.0.0.1:port} for an {@code endpoint} setting. */
    String startLoopback() throws IOException {
        server = services(NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)))
                .build()
                .start();
        return "127.0.0.1:" + server.getPort();
    }

    private <B extends io.grpc.ServerBuilder<B>> B services(B builder) {
        ServerInterceptor headers = new ServerInterceptor() {
            @Override
            public <Q, R> io.grpc.ServerCall.Listener<Q> interceptCall(
                    io.grpc.ServerCall<Q, R> call, Metadata metadata, io.grpc.ServerCallHandler<Q, R> next) {
                return Contexts.interceptCall(Context.current().withValue(HEADERS, metadata), call, metadata, next);
            }
        };
        return builder.addService(ServerInterceptors.intercept(new Jobs(), headers))
                .addService(ServerInterceptors.intercept(new Lists(), headers))
                .addService(ServerInterceptors.intercept(new Search(), headers));
    }

    /** The generated clients over an in-process channel, with the headers production sends. */
    AdsServices services() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("developer-token", DEVELOPER_TOKEN);
        if (loginCustomerId != null) {
            headers.put("login-customer-id", loginCustomerId);
        }
        return AdsServices.overChannel(InProcessChannelBuilder.forName(inProcessName), headers);
    }

    @Override
    public void close() throws InterruptedException {
        server.shutdownNow();
        server.awaitTermination(5, TimeUnit.SECONDS);
    }

    // ---- what tests arrange

    synchronized void customerStatus(CustomerStatus status) {
        this.customerStatus = status;
    }

    synchronized void jobsEnd(JobOutcome outcome) {
        this.outcome = outcome;
    }

    /** How many status queries see a run job RUNNING before it ends. */
    synchronized void pollsUntilDone(int polls) {
        this.pollsUntilDone = polls;
    }

    /** Ends the jobs left running ({@link JobOutcome#HOLD}) the way given. */
    synchronized void finishHeldJobs(JobOutcome how) {
        for (Job job : jobs.values()) {
            if (job.status == OfflineUserDataJobStatus.RUNNING) {
                finish(job, how);
            }
        }
    }

    synchronized void failNext(String method, Fault fault) {
        faults.computeIfAbsent(method, m -> new ArrayDeque<>()).add(fault);
    }

    /** These hashes are refused (partially failed) whenever they are sent. */
    synchronized void refuse(Collection<String> hex) {
        refused.addAll(hex);
    }

    /** The next AddOfflineUserDataJobOperations call takes none of its operations, with an error that names none. */
    synchronized void refuseNextBatchWithoutLocation() {
        refuseNextBatch = true;
    }

    synchronized void accept() {
        refused.clear();
    }

    /** A list someone made by hand, with no description. */
    synchronized String createList(String name, UserListType type) {
        return createList(name, type, "");
    }

    synchronized String createList(String name, UserListType type, String description) {
        String resource = "customers/" + CUSTOMER + "/userLists/" + ids.incrementAndGet();
        lists.put(
                resource,
                UserList.newBuilder()
                        .setResourceName(resource)
                        .setName(name)
                        .setType(type)
                        .setDescription(description)
                        .build());
        members.put(resource, new TreeSet<>());
        return resource;
    }

    synchronized void deleteList(String resource) {
        lists.remove(resource);
        members.remove(resource);
    }

    synchronized void addMembers(String resource, Collection<String> hex) {
        members.get(resource).addAll(hex);
    }

    // ---- what tests read

    synchronized Optional<String> listNamed(String name) {
        return lists.values().stream()
                .filter(l -> l.getName().equals(name))
                .map(UserList::getResourceName)
                .findFirst();
    }

    synchronized UserList list(String resource) {
        return lists.get(resource);
    }

    /** The members of the list with this name (empty when there is none). */
    synchronized Set<String> members(String name) {
        return listNamed(name).map(r -> Set.copyOf(members.get(r))).orElse(Set.of());
    }

    synchronized List<Job> jobs() {
        return List.copyOf(jobs.values());
    }

    synchronized int calls(String method) {
        return calls.getOrDefault(method, new AtomicInteger()).get();
    }

    synchronized List<String> violations() {
        return List.copyOf(violations);
    }

    // ---- the services

    private final class Jobs extends OfflineUserDataJobServiceGrpc.OfflineUserDataJobServiceImplBase {
        @Override
        public void createOfflineUserDataJob(
                CreateOfflineUserDataJobRequest request, StreamObserver<CreateOfflineUserDataJobResponse> response) {
            answer("CreateOfflineUserDataJob", response, () -> {
                checkCustomer(request.getCustomerId());
                OfflineUserDataJob job = request.getJob();
                if (job.getType() != OfflineUserDataJobType.CUSTOMER_MATCH_USER_LIST) {
                    throw violation(
                            Status.Code.INVALID_ARGUMENT,
                            ErrorCode.newBuilder().setRequestError(RequestError.INVALID_ENUM_VALUE),
                            "job type " + job.getType());
                }
                String list = job.getCustomerMatchUserListMetadata().getUserList();
                if (!lists.containsKey(list)) {
                    throw error(
                            Status.Code.INVALID_ARGUMENT,
                            ErrorCode.newBuilder()
                                    .setOfflineUserDataJobError(OfflineUserDataJobError.INVALID_USER_LIST_ID),
                            "Invalid user list id.",
                            null);
                }
                Consent consent = job.getCustomerMatchUserListMetadata().getConsent();
                if (consent.getAdUserData() != ConsentStatus.GRANTED
                        || consent.getAdPersonalization() != ConsentStatus.GRANTED) {
                    throw violation(
                            Status.Code.INVALID_ARGUMENT,
                            ErrorCode.newBuilder().setRequestError(RequestError.REQUIRED_FIELD_MISSING),
                            "job-level consent is not GRANTED for ad_user_data and ad_personalization");
                }
                String resource = "customers/" + CUSTOMER + "/offlineUserDataJobs/" + ids.incrementAndGet();
                jobs.put(resource, new Job(resource, list));
                return CreateOfflineUserDataJobResponse.newBuilder()
                        .setResourceName(resource)
                        .build();
            });
        }

        @Override
        public void addOfflineUserDataJobOperations(
                AddOfflineUserDataJobOperationsRequest request,
                StreamObserver<AddOfflineUserDataJobOperationsResponse> response) {
            if (addsInFlight.incrementAndGet() > 1) {
                synchronized (FakeGoogleAds.this) {
                    violations.add("two AddOfflineUserDataJobOperations calls at once");
                }
            }
            // the call ends before its answer leaves: the client may send the next one as soon as it has it
            answer(
                    "AddOfflineUserDataJobOperations",
                    new StreamObserver<>() {
                        @Override
                        public void onNext(AddOfflineUserDataJobOperationsResponse value) {
                            addsInFlight.decrementAndGet();
                            response.onNext(value);
                        }

                        @Override
                        public void onError(Throwable t) {
                            addsInFlight.decrementAndGet();
                            response.onError(t);
                        }

                        @Override
                        public void onCompleted() {
                            response.onCompleted();
                        }
                    },
                    () -> add(request));
        }

        @Override
        public void runOfflineUserDataJob(RunOfflineUserDataJobRequest request, StreamObserver<Operation> response) {
            answer("RunOfflineUserDataJob", response, () -> {
                Job job = job(request.getResourceName());
                if (job.status != OfflineUserDataJobStatus.PENDING) {
                    throw violation(
                            Status.Code.INVALID_ARGUMENT,
                            ErrorCode.newBuilder()
                                    .setOfflineUserDataJobError(OfflineUserDataJobError.JOB_ALREADY_STARTED),
                            "job run twice");
                }
                job.status = OfflineUserDataJobStatus.RUNNING;
                job.outcome = outcome;
                job.pollsUntilDone = pollsUntilDone;
                return Operation.newBuilder()
                        .setName("customers/" + CUSTOMER + "/operations/" + ids.incrementAndGet())
                        .build();
            });
        }
    }

    private AddOfflineUserDataJobOperationsResponse add(AddOfflineUserDataJobOperationsRequest request) {
        Job job = job(request.getResourceName());
        if (job.status != OfflineUserDataJobStatus.PENDING) {
            throw violation(
                    Status.Code.INVALID_ARGUMENT,
                    ErrorCode.newBuilder().setOfflineUserDataJobError(OfflineUserDataJobError.JOB_ALREADY_STARTED),
                    "operations added to a started job");
        }
        if (!request.getEnablePartialFailure()) {
            violations.add("AddOfflineUserDataJobOperations without enable_partial_failure");
        }
        int identifiers = request.getOperationsList().stream()
                .mapToInt(o -> o.hasCreate()
                        ? o.getCreate().getUserIdentifiersCount()
                        : o.getRemove().getUserIdentifiersCount())
                .sum();
        if (identifiers > maxIdentifiers) {
            throw violation(
                    Status.Code.INVALID_ARGUMENT,
                    ErrorCode.newBuilder()
                            .setOfflineUserDataJobError(OfflineUserDataJobError.TOO_MANY_USER_IDENTIFIERS),
                    identifiers + " identifiers in one request, more than " + maxIdentifiers);
        }
        boolean creates = job.creates();
        boolean removes = job.removes();
        for (int i = 0; i < request.getOperationsCount(); i++) {
            OfflineUserDataJobOperation op = request.getOperations(i);
            if (op.getRemoveAll() && (i > 0 || !job.operations.isEmpty())) {
                throw violation(
                        Status.Code.INVALID_ARGUMENT,
                        ErrorCode.newBuilder()
                                .setOfflineUserDataJobError(OfflineUserDataJobError.INVALID_OPERATION_ORDER),
                        "remove_all not first");
            }
            creates |= op.hasCreate();
            removes |= op.hasRemove();
        }
        if (creates && removes) {
            throw violation(
                    Status.Code.INVALID_ARGUMENT,
                    ErrorCode.newBuilder().setOfflineUserDataJobError(OfflineUserDataJobError.CONFLICTING_OPERATION),
                    "create and remove in one job");
        }
        List<GoogleAdsError> errors = new ArrayList<>();
        boolean refuseAll = refuseNextBatch;
        refuseNextBatch = false;
        if (refuseAll) {
            errors.add(GoogleAdsError.newBuilder()
                    .setErrorCode(ErrorCode.newBuilder().setDatabaseError(DatabaseError.DATA_CONSTRAINT_VIOLATION))
                    .setMessage("A data constraint was violated.")
                    .build());
        }
        for (int i = 0; i < request.getOperationsCount() && !refuseAll; i++) {
            OfflineUserDataJobOperation op = request.getOperations(i);
            if (op.getRemoveAll()) {
                job.operations.add(op);
                continue;
            }
            UserData data = op.hasCreate() ? op.getCreate() : op.getRemove();
            String field = op.hasCreate() ? "create" : "remove";
            if (data.getUserIdentifiersCount() != 1
                    || !HEX.matcher(data.getUserIdentifiers(0).getHashedEmail()).matches()) {
                violations.add("operation " + i + " is not one lowercase hex hashed_email");
            }
            String hex = data.getUserIdentifiersCount() == 0
                    ? ""
                    : data.getUserIdentifiers(0).getHashedEmail();
            if (refused.contains(hex) || !HEX.matcher(hex).matches()) {
                errors.add(GoogleAdsError.newBuilder()
                        .setErrorCode(ErrorCode.newBuilder()
                                .setOfflineUserDataJobError(OfflineUserDataJobError.INVALID_SHA256_FORMAT))
                        .setMessage("The SHA256 encoded value is malformed.")
                        .setLocation(ErrorLocation.newBuilder()
                                .addFieldPathElements(FieldPathElement.newBuilder()
                                        .setFieldName("operations")
                                        .setIndex(i))
                                .addFieldPathElements(
                                        FieldPathElement.newBuilder().setFieldName(field))
                                .addFieldPathElements(FieldPathElement.newBuilder()
                                        .setFieldName("user_identifiers")
                                        .setIndex(0))
                                .addFieldPathElements(
                                        FieldPathElement.newBuilder().setFieldName("hashed_email")))
                        .build());
            } else {
                job.operations.add(op);
            }
        }
        job.requestSizes.add(identifiers);
        var answer = AddOfflineUserDataJobOperationsResponse.newBuilder();
        if (!errors.isEmpty()) {
            answer.setPartialFailureError(com.google.rpc.Status.newBuilder()
                    .setCode(Status.Code.INVALID_ARGUMENT.value())
                    .setMessage("Multiple errors in 'details'.")
                    .addDetails(Any.pack(
                            GoogleAdsFailure.newBuilder().addAllErrors(errors).build())));
        }
        return answer.build();
    }

    private final class Lists extends UserListServiceGrpc.UserListServiceImplBase {
        @Override
        public void mutateUserLists(MutateUserListsRequest request, StreamObserver<MutateUserListsResponse> response) {
            answer("MutateUserLists", response, () -> {
                checkCustomer(request.getCustomerId());
                var answer = MutateUserListsResponse.newBuilder();
                for (UserListOperation op : request.getOperationsList()) {
                    UserList list = op.getCreate();
                    if (!op.hasCreate() || list.getName().isEmpty()) {
                        throw violation(
                                Status.Code.INVALID_ARGUMENT,
                                ErrorCode.newBuilder().setUserListError(UserListError.INVALID_NAME),
                                "not a create with a name");
                    }
                    if (listNamed(list.getName()).isPresent()) {
                        throw error(
                                Status.Code.INVALID_ARGUMENT,
                                ErrorCode.newBuilder().setUserListError(UserListError.NAME_ALREADY_USED),
                                "Name is already being used for another user list for the account.",
                                null);
                    }
                    if (list.getCrmBasedUserList().getUploadKeyType() != CustomerMatchUploadKeyType.CONTACT_INFO
                            || list.getCrmBasedUserList().getDataSourceType() != UserListCrmDataSourceType.FIRST_PARTY
                            || list.getMembershipLifeSpan() < 1
                            || list.getMembershipLifeSpan() > 540) {
                        throw violation(
                                Status.Code.INVALID_ARGUMENT,
                                ErrorCode.newBuilder().setUserListError(UserListError.INVALID_TYPE),
                                "not a first-party CONTACT_INFO CRM list with a life span of 1 to 540 days: " + list);
                    }
                    String resource = createList(list.getName(), UserListType.CRM_BASED);
                    lists.put(
                            resource,
                            list.toBuilder()
                                    .setResourceName(resource)
                                    .setType(UserListType.CRM_BASED)
                                    .build());
                    answer.addResults(MutateUserListResult.newBuilder().setResourceName(resource));
                }
                return answer.build();
            });
        }
    }

    private final class Search extends GoogleAdsServiceGrpc.GoogleAdsServiceImplBase {
        /**
         * GoogleAdsService.SearchStream (developers.google.com/google-ads/api/reference/rpc/v23/GoogleAdsService/SearchStream):
         * GAQL answered as a stream of SearchGoogleAdsStreamResponse, here in one message. Knows the
         * query of the customer resource (which returns the queried customer only) and of every user list.
         */
        @Override
        public void searchStream(
                SearchGoogleAdsStreamRequest request, StreamObserver<SearchGoogleAdsStreamResponse> response) {
            answer("SearchStream", response, () -> {
                checkCustomer(request.getCustomerId());
                var answer = SearchGoogleAdsStreamResponse.newBuilder();
                switch (request.getQuery()) {
                    case CUSTOMER_QUERY ->
                        answer.addResults(GoogleAdsRow.newBuilder()
                                .setCustomer(Customer.newBuilder()
                                        .setResourceName("customers/" + CUSTOMER)
                                        .setId(Long.parseLong(CUSTOMER))
                                        .setDescriptiveName("Nestit test")
                                        .setStatus(customerStatus)));
                    case ALL_LISTS_QUERY ->
                        lists.values()
                                .forEach(l -> answer.addResults(
                                        GoogleAdsRow.newBuilder().setUserList(l)));
                    default ->
                        throw violation(
                                Status.Code.INVALID_ARGUMENT,
                                ErrorCode.newBuilder().setQueryError(QueryError.UNEXPECTED_INPUT),
                                "a streamed query this fake does not know: " + request.getQuery());
                }
                return answer.build();
            });
        }

        @Override
        public void search(SearchGoogleAdsRequest request, StreamObserver<SearchGoogleAdsResponse> response) {
            answer("Search", response, () -> {
                checkCustomer(request.getCustomerId());
                String query = request.getQuery();
                var answer = SearchGoogleAdsResponse.newBuilder();
                Matcher m;
                if ((m = LIST_BY_NAME.matcher(query)).matches()) {
                    String name = unescape(m.group(1));
                    lists.values().stream()
                            .filter(l -> l.getName().equals(name))
                            .forEach(l ->
                                    answer.addResults(GoogleAdsRow.newBuilder().setUserList(l)));
                } else if ((m = LIST_BY_RESOURCE.matcher(query)).matches()) {
                    Optional.ofNullable(lists.get(unescape(m.group(1))))
                            .ifPresent(l ->
                                    answer.addResults(GoogleAdsRow.newBuilder().setUserList(l)));
                } else if ((m = JOB_STATUS.matcher(query)).matches()) {
                    Job job = jobs.get(unescape(m.group(1)));
                    if (job != null) {
                        if (job.status == OfflineUserDataJobStatus.RUNNING
                                && job.outcome != JobOutcome.HOLD
                                && job.pollsUntilDone-- <= 0) {
                            finish(job, job.outcome);
                        }
                        answer.addResults(GoogleAdsRow.newBuilder()
                                .setOfflineUserDataJob(OfflineUserDataJob.newBuilder()
                                        .setResourceName(job.resourceName)
                                        .setStatus(job.status)
                                        .setFailureReason(
                                                job.status == OfflineUserDataJobStatus.FAILED
                                                        ? OfflineUserDataJobFailureReason
                                                                .INSUFFICIENT_MATCHED_TRANSACTIONS
                                                        : OfflineUserDataJobFailureReason.UNSPECIFIED)));
                    }
                } else {
                    throw violation(
                            Status.Code.INVALID_ARGUMENT,
                            ErrorCode.newBuilder().setQueryError(QueryError.UNEXPECTED_INPUT),
                            "a query this fake does not know: " + query);
                }
                return answer.build();
            });
        }
    }

    private void finish(Job job, JobOutcome how) {
        if (how == JobOutcome.FAILED) {
            job.status = OfflineUserDataJobStatus.FAILED;
            return;
        }
        Set<String> list = members.get(job.userList);
        for (OfflineUserDataJobOperation op : job.operations) {
            if (op.getRemoveAll()) {
                list.clear();
            } else if (op.hasCreate()) {
                list.add(op.getCreate().getUserIdentifiers(0).getHashedEmail());
            } else {
                list.remove(op.getRemove().getUserIdentifiers(0).getHashedEmail());
            }
        }
        job.status = OfflineUserDataJobStatus.SUCCESS;
    }

    // ---- helpers

    private <R> void answer(String method, StreamObserver<R> response, Supplier<R> handler) {
        R result;
        synchronized (this) {
            calls.computeIfAbsent(method, m -> new AtomicInteger()).incrementAndGet();
            try {
                checkHeaders();
                Fault fault =
                        Optional.ofNullable(faults.get(method)).map(Queue::poll).orElse(null);
                if (fault != null) {
                    throw fault.failure() == null
                            ? fault.status()
                                    .toStatus()
                                    .withDescription("injected")
                                    .asRuntimeException()
                            : toException(fault.status(), fault.failure());
                }
                result = handler.get();
            } catch (StatusRuntimeException e) {
                response.onError(e);
                return;
            }
        }
        response.onNext(result);
        response.onCompleted();
    }

    private void checkHeaders() {
        Metadata headers = HEADERS.get();
        if (!DEVELOPER_TOKEN.equals(headers.get(DEVELOPER_TOKEN_HEADER))) {
            throw violation(
                    Status.Code.UNAUTHENTICATED,
                    ErrorCode.newBuilder().setAuthenticationError(AuthenticationError.DEVELOPER_TOKEN_INVALID),
                    "no or a wrong developer-token header");
        }
        if (!Objects.equals(loginCustomerId, headers.get(LOGIN_CUSTOMER_HEADER))) {
            throw violation(
                    Status.Code.PERMISSION_DENIED,
                    ErrorCode.newBuilder().setAuthenticationError(AuthenticationError.AUTHENTICATION_ERROR),
                    "login-customer-id header " + headers.get(LOGIN_CUSTOMER_HEADER) + ", expected " + loginCustomerId);
        }
    }

    private void checkCustomer(String customerId) {
        if (!CUSTOMER.equals(customerId)) {
            throw violation(
                    Status.Code.PERMISSION_DENIED,
                    ErrorCode.newBuilder().setRequestError(RequestError.INVALID_CUSTOMER_ID),
                    "customer_id " + customerId);
        }
    }

    private Job job(String resource) {
        Job job = jobs.get(resource);
        if (job == null) {
            throw violation(
                    Status.Code.NOT_FOUND,
                    ErrorCode.newBuilder().setRequestError(RequestError.RESOURCE_NAME_MALFORMED),
                    "unknown job " + resource);
        }
        return job;
    }

    private StatusRuntimeException violation(Status.Code status, ErrorCode.Builder code, String what) {
        violations.add(what);
        return error(status, code, what, null);
    }

    private static StatusRuntimeException error(
            Status.Code status, ErrorCode.Builder code, String message, ErrorDetails details) {
        return toException(status, failure(code, message, details));
    }

    private static GoogleAdsFailure failure(ErrorCode.Builder code, String message, ErrorDetails details) {
        var error = GoogleAdsError.newBuilder().setErrorCode(code).setMessage(message);
        if (details != null) {
            error.setDetails(details);
        }
        return GoogleAdsFailure.newBuilder().addErrors(error).build();
    }

    private static StatusRuntimeException toException(Status.Code status, GoogleAdsFailure failure) {
        Metadata trailers = new Metadata();
        trailers.put(FAILURE_KEY, failure.toByteArray());
        trailers.put(REQUEST_ID, "req-" + UUID.randomUUID().toString().substring(0, 8));
        return status.toStatus()
                .withDescription("Request contains an invalid argument.")
                .asRuntimeException(trailers);
    }

    private static String unescape(String literal) {
        return literal.replaceAll("\\\\(.)", "$1");
    }
}

package se.nestit.audience.destination.googleads;

import com.google.ads.googleads.lib.GoogleAdsClient;
import com.google.ads.googleads.v23.services.GoogleAdsServiceClient;
import com.google.ads.googleads.v23.services.GoogleAdsServiceSettings;
import com.google.ads.googleads.v23.services.OfflineUserDataJobServiceClient;
import com.google.ads.googleads.v23.services.OfflineUserDataJobServiceSettings;
import com.google.ads.googleads.v23.services.UserListServiceClient;
import com.google.ads.googleads.v23.services.UserListServiceSettings;
import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.GrpcTransportChannel;
import com.google.api.gax.rpc.ClientSettings;
import com.google.api.gax.rpc.FixedTransportChannelProvider;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The three generated Google Ads API (v23) service clients this destination uses. Production takes
 * them from a {@link GoogleAdsClient} (credentials, developer token and headers as the client
 * library sets them up); tests and local fakes build the same generated clients over a channel of
 * their own, without OAuth.
 */
public record AdsServices(
        OfflineUserDataJobServiceClient jobs,
        UserListServiceClient userLists,
        GoogleAdsServiceClient googleAds,
        AutoCloseable channel)
        implements AutoCloseable {

    /** The clients of the newest API version the client library holds: v23. */
    public static AdsServices from(GoogleAdsClient client) {
        var v23 = client.getLatestVersion();
        return new AdsServices(
                v23.createOfflineUserDataJobServiceClient(),
                v23.createUserListServiceClient(),
                v23.createGoogleAdsServiceClient(),
                () -> {});
    }

    /**
     * Clients over a channel of the caller's (in-process, or plaintext to a loopback server), sending the
     * headers the Google Ads API expects ({@code developer-token}, {@code login-customer-id}) but
     * no OAuth token. The channel is shut down on {@link #close()}.
     */
    public static AdsServices overChannel(ManagedChannelBuilder<?> channelBuilder, Map<String, String> headers) {
        // A fixed channel gets no headers from the clients' settings: they travel with the channel.
        Metadata metadata = new Metadata();
        headers.forEach((k, v) -> metadata.put(Metadata.Key.of(k, Metadata.ASCII_STRING_MARSHALLER), v));
        ManagedChannel channel = channelBuilder
                .intercept(MetadataUtils.newAttachHeadersInterceptor(metadata))
                .build();
        var transport = FixedTransportChannelProvider.create(GrpcTransportChannel.create(channel));
        var credentials = NoCredentialsProvider.create();
        try {
            return new AdsServices(
                    OfflineUserDataJobServiceClient.create(
                            configure(OfflineUserDataJobServiceSettings.newBuilder(), transport, credentials)
                                    .build()),
                    UserListServiceClient.create(configure(UserListServiceSettings.newBuilder(), transport, credentials)
                            .build()),
                    GoogleAdsServiceClient.create(
                            configure(GoogleAdsServiceSettings.newBuilder(), transport, credentials)
                                    .build()),
                    () -> {
                        channel.shutdown();
                        channel.awaitTermination(5, TimeUnit.SECONDS);
                    });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static <B extends ClientSettings.Builder<?, ?>> B configure(
            B builder, FixedTransportChannelProvider transport, NoCredentialsProvider credentials) {
        builder.setTransportChannelProvider(transport).setCredentialsProvider(credentials);
        return builder;
    }

    @Override
    public void close() {
        jobs.close();
        userLists.close();
        googleAds.close();
        try {
            channel.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            throw new IllegalStateException("cannot close the Google Ads channel", e);
        }
    }
}

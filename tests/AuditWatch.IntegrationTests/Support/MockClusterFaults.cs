using System.Reflection;
using System.Runtime.InteropServices;
using Confluent.Kafka;

namespace AuditWatch.IntegrationTests.Support;

/// <summary>
/// librdkafka's mock-cluster fault injection (rd_kafka_mock_*), which Confluent.Kafka does not wrap: error codes pushed
/// onto the next requests of an API, and brokers taken down and up.
/// </summary>
internal static partial class MockClusterFaults
{
    public const short Fetch = 1;
    public const short OffsetCommit = 8;
    public const int NotLeaderForPartition = 6;
    public const int RequestTimedOut = 7;
    public const int CoordinatorNotAvailable = 15;

    static MockClusterFaults()
    {
        // The same librdkafka Confluent.Kafka loaded, tried in the order it tries them: the default build (which needs
        // libsasl2), then the CentOS and Alpine builds. A pointer from one copy must not go to another.
        var folder = Path.Combine(AppContext.BaseDirectory, "runtimes", RuntimeInformation.OSArchitecture == Architecture.Arm64 ? "linux-arm64" : "linux-x64", "native");
        NativeLibrary.SetDllImportResolver(typeof(MockClusterFaults).Assembly, (name, _, _) =>
        {
            if (name != "librdkafka")
            {
                return IntPtr.Zero;
            }

            foreach (var candidate in new[] { "librdkafka.so", "centos8-librdkafka.so", "alpine-librdkafka.so" })
            {
                if (NativeLibrary.TryLoad(Path.Combine(folder, candidate), out var handle))
                {
                    return handle;
                }
            }

            return IntPtr.Zero;
        });
    }

    /// <summary>The next <paramref name="errors"/>.Length requests of the API fail with these codes.</summary>
    public static void PushRequestErrors(IClient client, short apiKey, params int[] errors)
    {
        var cluster = Cluster(client);
        Check(PushRequestErrorsArray(cluster, apiKey, (nuint)errors.Length, errors));
    }

    public static void SetBrokerDown(IClient client, int brokerId) => Check(BrokerSetDown(Cluster(client), brokerId));

    public static void SetBrokerUp(IClient client, int brokerId) => Check(BrokerSetUp(Cluster(client), brokerId));

    private static IntPtr Cluster(IClient client)
    {
        // Handle.LibrdkafkaHandle is internal to Confluent.Kafka; its raw pointer is the rd_kafka_t* librdkafka expects.
        var property = typeof(Handle).GetProperty("LibrdkafkaHandle", BindingFlags.Instance | BindingFlags.NonPublic)
            ?? throw new InvalidOperationException("Confluent.Kafka no longer exposes Handle.LibrdkafkaHandle");
        var safeHandle = (SafeHandle)property.GetValue(client.Handle)!;
        var cluster = HandleMockCluster(safeHandle.DangerousGetHandle());
        return cluster != IntPtr.Zero ? cluster : throw new InvalidOperationException("the client is not on a mock cluster");
    }

    private static void Check(int error)
    {
        if (error != 0)
        {
            throw new InvalidOperationException($"librdkafka mock call failed with error {error}");
        }
    }

    [LibraryImport("librdkafka", EntryPoint = "rd_kafka_handle_mock_cluster")]
    private static partial IntPtr HandleMockCluster(IntPtr kafka);

    [LibraryImport("librdkafka", EntryPoint = "rd_kafka_mock_push_request_errors_array")]
    private static partial int PushRequestErrorsArray(IntPtr cluster, short apiKey, nuint count, [In] int[] errors);

    [LibraryImport("librdkafka", EntryPoint = "rd_kafka_mock_broker_set_down")]
    private static partial int BrokerSetDown(IntPtr cluster, int brokerId);

    [LibraryImport("librdkafka", EntryPoint = "rd_kafka_mock_broker_set_up")]
    private static partial int BrokerSetUp(IntPtr cluster, int brokerId);
}

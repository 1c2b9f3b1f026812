// Declarations of the Grpc.Core.Api 2.x, Grpc.Net.Client 2.x and
// YetAnotherHttpHandler 1.x API that the generated client stubs and the
// package's Transport code use, with no behaviour, so Mono's mcs can
// type-check that code without the NuGet assemblies. Every body throws.
using System;
using System.Buffers;
using System.Threading;
using System.Threading.Tasks;

namespace System.Net.Http
{
    public abstract class HttpMessageHandler : IDisposable
    {
        public void Dispose() { throw new NotImplementedException(); }
    }
}

namespace Grpc.Core
{
    public enum StatusCode
    {
        OK = 0, Cancelled = 1, Unknown = 2, InvalidArgument = 3, DeadlineExceeded = 4, NotFound = 5,
        AlreadyExists = 6, PermissionDenied = 7, ResourceExhausted = 8, FailedPrecondition = 9, Aborted = 10,
        OutOfRange = 11, Unimplemented = 12, Internal = 13, Unavailable = 14, DataLoss = 15, Unauthenticated = 16,
    }

    public struct Status
    {
        public Status(StatusCode statusCode, string detail) { throw new NotImplementedException(); }
        public StatusCode StatusCode { get { throw new NotImplementedException(); } }
        public string Detail { get { throw new NotImplementedException(); } }
    }

    public class RpcException : Exception
    {
        public RpcException(Status status) { }
        public Status Status { get { throw new NotImplementedException(); } }
        public StatusCode StatusCode { get { throw new NotImplementedException(); } }
    }

    public sealed class Metadata
    {
    }

    public struct CallOptions
    {
        public CallOptions(Metadata headers = null, DateTime? deadline = null, CancellationToken cancellationToken = default(CancellationToken))
        {
            throw new NotImplementedException();
        }
    }

    public enum MethodType
    {
        Unary, ClientStreaming, ServerStreaming, DuplexStreaming,
    }

    public abstract class SerializationContext
    {
        public virtual void Complete(byte[] payload) { throw new NotImplementedException(); }
        public virtual IBufferWriter<byte> GetBufferWriter() { throw new NotImplementedException(); }
        public virtual void SetPayloadLength(int payloadLength) { throw new NotImplementedException(); }
        public virtual void Complete() { throw new NotImplementedException(); }
    }

    public abstract class DeserializationContext
    {
        public virtual byte[] PayloadAsNewBuffer() { throw new NotImplementedException(); }
        public virtual ReadOnlySequence<byte> PayloadAsReadOnlySequence() { throw new NotImplementedException(); }
    }

    public class Marshaller<T>
    {
        public Marshaller(Action<T, SerializationContext> serializer, Func<DeserializationContext, T> deserializer) { }
    }

    public static class Marshallers
    {
        public static Marshaller<T> Create<T>(Action<T, SerializationContext> serializer, Func<DeserializationContext, T> deserializer)
        {
            throw new NotImplementedException();
        }
    }

    public class Method<TRequest, TResponse>
    {
        public Method(MethodType type, string serviceName, string name, Marshaller<TRequest> requestMarshaller, Marshaller<TResponse> responseMarshaller) { }
    }

    public interface IAsyncStreamReader<T>
    {
        T Current { get; }
        Task<bool> MoveNext(CancellationToken cancellationToken);
    }

    public interface IAsyncStreamWriter<T>
    {
        Task WriteAsync(T message);
    }

    public interface IClientStreamWriter<T> : IAsyncStreamWriter<T>
    {
        Task CompleteAsync();
    }

    public sealed class AsyncUnaryCall<TResponse> : IDisposable
    {
        private AsyncUnaryCall() { }
        public Task<TResponse> ResponseAsync { get { throw new NotImplementedException(); } }
        public System.Runtime.CompilerServices.TaskAwaiter<TResponse> GetAwaiter() { throw new NotImplementedException(); }
        public void Dispose() { throw new NotImplementedException(); }
    }

    public sealed class AsyncDuplexStreamingCall<TRequest, TResponse> : IDisposable
    {
        private AsyncDuplexStreamingCall() { }
        public IAsyncStreamReader<TResponse> ResponseStream { get { throw new NotImplementedException(); } }
        public IClientStreamWriter<TRequest> RequestStream { get { throw new NotImplementedException(); } }
        public void Dispose() { throw new NotImplementedException(); }
    }

    public abstract class CallInvoker
    {
        public abstract TResponse BlockingUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string host, CallOptions options, TRequest request)
            where TRequest : class where TResponse : class;
        public abstract AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string host, CallOptions options, TRequest request)
            where TRequest : class where TResponse : class;
        public abstract AsyncDuplexStreamingCall<TRequest, TResponse> AsyncDuplexStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string host, CallOptions options)
            where TRequest : class where TResponse : class;
    }

    public abstract class ChannelBase
    {
    }

    public abstract class ClientBase
    {
        protected ClientBase() { }
        protected ClientBase(ChannelBase channel) { }
        protected ClientBase(CallInvoker callInvoker) { }
        protected ClientBase(ClientBaseConfiguration configuration) { }
        protected CallInvoker CallInvoker { get { throw new NotImplementedException(); } }

        protected internal class ClientBaseConfiguration
        {
        }
    }

    public abstract class ClientBase<T> : ClientBase where T : ClientBase<T>
    {
        protected ClientBase() { }
        protected ClientBase(ChannelBase channel) : base(channel) { }
        protected ClientBase(CallInvoker callInvoker) : base(callInvoker) { }
        protected ClientBase(ClientBaseConfiguration configuration) : base(configuration) { }
        protected abstract T NewInstance(ClientBaseConfiguration configuration);
    }
}

namespace Grpc.Net.Client
{
    public sealed class GrpcChannelOptions
    {
        public System.Net.Http.HttpMessageHandler HttpHandler { get; set; }
        public bool DisposeHttpClient { get; set; }
        public int? MaxReceiveMessageSize { get; set; }
        public int? MaxSendMessageSize { get; set; }
    }

    public sealed class GrpcChannel : Grpc.Core.ChannelBase, IDisposable
    {
        private GrpcChannel() { }
        public static GrpcChannel ForAddress(string address, GrpcChannelOptions channelOptions) { throw new NotImplementedException(); }
        public static GrpcChannel ForAddress(Uri address, GrpcChannelOptions channelOptions) { throw new NotImplementedException(); }
        public Task ShutdownAsync() { throw new NotImplementedException(); }
        public void Dispose() { throw new NotImplementedException(); }
    }
}

namespace Cysharp.Net.Http
{
    public class YetAnotherHttpHandler : System.Net.Http.HttpMessageHandler
    {
        public bool Http2Only { get; set; }
        public string RootCertificates { get; set; }
        public bool SkipCertificateVerification { get; set; }
    }
}

using System;
using System.Threading;
using System.Threading.Tasks;
using Grpc.Core;
using VRPerception.Core;

namespace VRPerception.Transport
{
    /// <summary>Adapts a gRPC duplex streaming call to Core's <see cref="IDuplexStream{TRequest,TResponse}"/>.</summary>
    public sealed class GrpcDuplexStream<TRequest, TResponse> : IDuplexStream<TRequest, TResponse>
    {
        private readonly AsyncDuplexStreamingCall<TRequest, TResponse> call;

        public GrpcDuplexStream(AsyncDuplexStreamingCall<TRequest, TResponse> call)
        {
            if (call == null)
            {
                throw new ArgumentNullException("call");
            }
            this.call = call;
        }

        public TResponse Current
        {
            get { return call.ResponseStream.Current; }
        }

        public Task WriteAsync(TRequest message)
        {
            return call.RequestStream.WriteAsync(message);
        }

        public Task<bool> MoveNextAsync(CancellationToken cancellationToken)
        {
            return call.ResponseStream.MoveNext(cancellationToken);
        }

        public void Dispose()
        {
            call.Dispose();
        }
    }

    /// <summary>Maps exceptions of gRPC calls to <see cref="StreamFailure"/> values.</summary>
    public static class GrpcErrors
    {
        /// <summary>
        /// Returns the status of an RpcException, or UNKNOWN with the exception's
        /// type and message for transport errors that Grpc.Net.Client does not wrap.
        /// </summary>
        public static StreamFailure Classify(Exception error)
        {
            var rpcError = error as RpcException;
            if (rpcError != null)
            {
                return new StreamFailure((RpcStatusCode)(int)rpcError.StatusCode, rpcError.Status.Detail);
            }
            return new StreamFailure(RpcStatusCode.Unknown, error.GetType().Name + ": " + error.Message);
        }
    }
}

using System;
using System.Threading;
using System.Threading.Tasks;

namespace VRPerception.Core
{
    /// <summary>
    /// One open bidirectional streaming call, reduced to what the stream
    /// drivers in Core need; Transport adapts gRPC's AsyncDuplexStreamingCall to it.
    /// </summary>
    /// <remarks>
    /// Writes must not overlap: a caller awaits each <see cref="WriteAsync"/>
    /// before starting the next, as gRPC requires. Disposing cancels the call.
    /// </remarks>
    public interface IDuplexStream<TRequest, TResponse> : IDisposable
    {
        Task WriteAsync(TRequest message);

        /// <summary>Waits for the next response; false when the server closed the stream without an error.</summary>
        Task<bool> MoveNextAsync(CancellationToken cancellationToken);

        /// <summary>The response that the last successful <see cref="MoveNextAsync"/> read.</summary>
        TResponse Current { get; }
    }

    /// <summary>Why a stream ended: a gRPC status code and the server's detail message.</summary>
    public struct StreamFailure
    {
        public RpcStatusCode Code;
        public string Detail;

        public StreamFailure(RpcStatusCode code, string detail)
        {
            Code = code;
            Detail = detail ?? "";
        }

        public override string ToString()
        {
            return string.Format("{0}: {1}", Code, Detail);
        }
    }
}

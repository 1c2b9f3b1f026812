using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace VRPerception.Core
{
    /// <summary>
    /// Drives one duplex stream whose requests must all arrive in order, such
    /// as audio chunks and push-to-talk marks for RecognizeCommands.
    /// </summary>
    /// <remarks>
    /// <see cref="Enqueue"/> is safe from any thread and accepts requests only
    /// while a stream is open; a reopened stream starts with its opening
    /// requests and drops whatever was queued for the previous one.
    /// </remarks>
    public sealed class QueuedStreamer<TRequest, TResponse>
        where TRequest : class
    {
        private readonly ConcurrentQueue<TRequest> outgoing = new ConcurrentQueue<TRequest>();
        private readonly SemaphoreSlim outgoingSignal = new SemaphoreSlim(0);
        private volatile bool isOpen;

        /// <summary>True between the opening requests being written and the stream ending.</summary>
        public bool IsOpen
        {
            get { return isOpen; }
        }

        /// <summary>Queues a request behind the ones already queued; returns false, dropping it, when no stream is open.</summary>
        public bool Enqueue(TRequest request)
        {
            if (!isOpen)
            {
                return false;
            }
            outgoing.Enqueue(request);
            outgoingSignal.Release();
            return true;
        }

        /// <summary>
        /// Runs one stream: writes <paramref name="openingRequests"/> (a config first),
        /// then queued requests in order, and passes every response to
        /// <paramref name="onResponse"/> on the reading thread. Returns when the
        /// server closes the stream; throws the reader's error when it fails and
        /// OperationCanceledException when cancelled.
        /// </summary>
        public async Task RunAsync(
            Func<CancellationToken, IDuplexStream<TRequest, TResponse>> openCall,
            IEnumerable<TRequest> openingRequests,
            Action<TResponse> onResponse,
            CancellationToken cancellationToken)
        {
            using (var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            using (var call = openCall(linked.Token))
            {
                TRequest stale;
                while (outgoing.TryDequeue(out stale))
                {
                    // Requests queued for an earlier stream belong to no open utterance.
                }
                foreach (var request in openingRequests)
                {
                    await call.WriteAsync(request).ConfigureAwait(false);
                }
                isOpen = true;
                var reading = ReadAsync(call, onResponse, linked.Token);
                try
                {
                    var writing = WriteQueuedAsync(call, reading, linked.Token);
                    await DuplexCallCompletion.FinishAsync(writing, reading, linked, cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    isOpen = false;
                }
            }
        }

        private async Task WriteQueuedAsync(IDuplexStream<TRequest, TResponse> call, Task reading, CancellationToken token)
        {
            while (true)
            {
                var signalled = outgoingSignal.WaitAsync(token);
                if (await Task.WhenAny(signalled, reading).ConfigureAwait(false) == reading)
                {
                    return;
                }
                await signalled.ConfigureAwait(false);
                TRequest request;
                while (outgoing.TryDequeue(out request))
                {
                    await call.WriteAsync(request).ConfigureAwait(false);
                }
            }
        }

        private static async Task ReadAsync(IDuplexStream<TRequest, TResponse> call, Action<TResponse> onResponse, CancellationToken token)
        {
            while (await call.MoveNextAsync(token).ConfigureAwait(false))
            {
                onResponse(call.Current);
            }
        }
    }
}

using System;
using System.Threading;
using System.Threading.Tasks;

namespace VRPerception.Core
{
    /// <summary>
    /// Drives one duplex frame stream (TrackHands, TrackObjects) with at most
    /// one frame in flight: a frame is written only after the result of the
    /// previous one arrived (or <see cref="ResultTimeout"/> passed), and while
    /// one is in flight newer frames replace each other in a one-frame slot.
    /// </summary>
    /// <remarks>
    /// Keeping one frame in flight bounds latency to one round trip plus one
    /// inference, so the server's own latest-frame-wins queue never has to
    /// drop frames of this stream. The producer (Unity's main thread) calls
    /// <see cref="Offer"/>; <see cref="RunAsync"/> runs on a worker thread.
    /// </remarks>
    public sealed class FrameStreamer<TRequest, TResponse>
        where TRequest : class
    {
        public static readonly TimeSpan DefaultResultTimeout = TimeSpan.FromSeconds(2);

        private readonly LatestValueSlot<TRequest> pending = new LatestValueSlot<TRequest>();
        private readonly SemaphoreSlim resultArrived = new SemaphoreSlim(0, 1);
        private volatile bool waitingForFrame;

        public FrameStreamer()
        {
            ResultTimeout = DefaultResultTimeout;
        }

        /// <summary>Longest wait for a frame's result before the next frame is sent anyway.</summary>
        public TimeSpan ResultTimeout { get; set; }

        /// <summary>
        /// True while the stream is open, nothing is in flight and no frame is
        /// waiting: capturing a frame now sends it at once. Producers check it to
        /// skip the cost of reading pixels that would only be replaced.
        /// </summary>
        public bool IsReadyForFrame
        {
            get { return waitingForFrame && !pending.HasValue; }
        }

        /// <summary>Frames replaced by newer ones before they were sent.</summary>
        public long ReplacedFrames
        {
            get { return pending.DroppedCount; }
        }

        /// <summary>Queues a frame request, replacing one that has not been sent yet. Safe from any thread.</summary>
        public void Offer(TRequest frameRequest)
        {
            pending.Offer(frameRequest);
        }

        /// <summary>
        /// Runs one stream: writes <paramref name="configRequest"/>, then frames as
        /// they are offered, and passes every response to <paramref name="onResponse"/>
        /// (on the reading thread). Returns when the server ends the stream; throws
        /// the reader's error when it fails and OperationCanceledException when cancelled.
        /// </summary>
        public async Task RunAsync(
            Func<CancellationToken, IDuplexStream<TRequest, TResponse>> openCall,
            TRequest configRequest,
            Action<TResponse> onResponse,
            CancellationToken cancellationToken)
        {
            using (var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            using (var call = openCall(linked.Token))
            {
                TRequest stale;
                pending.TryTake(out stale);  // A frame from before a reconnect is outdated.
                resultArrived.Wait(0);
                await call.WriteAsync(configRequest).ConfigureAwait(false);
                var reading = ReadAsync(call, onResponse, linked.Token);
                try
                {
                    var writing = WriteFramesAsync(call, reading, linked.Token);
                    await DuplexCallCompletion.FinishAsync(writing, reading, linked, cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    waitingForFrame = false;
                }
            }
        }

        private async Task WriteFramesAsync(IDuplexStream<TRequest, TResponse> call, Task reading, CancellationToken token)
        {
            while (true)
            {
                waitingForFrame = true;
                var taking = pending.TakeAsync(token);
                if (await Task.WhenAny(taking, reading).ConfigureAwait(false) == reading)
                {
                    return;  // The server ended the stream; RunAsync observes how.
                }
                waitingForFrame = false;
                var frame = await taking.ConfigureAwait(false);

                resultArrived.Wait(0);  // Drop a late result of a frame that timed out.
                await call.WriteAsync(frame).ConfigureAwait(false);

                var waitForResult = resultArrived.WaitAsync(ResultTimeout, token);
                if (await Task.WhenAny(waitForResult, reading).ConfigureAwait(false) == reading)
                {
                    return;
                }
                await waitForResult.ConfigureAwait(false);
            }
        }

        private async Task ReadAsync(IDuplexStream<TRequest, TResponse> call, Action<TResponse> onResponse, CancellationToken token)
        {
            while (await call.MoveNextAsync(token).ConfigureAwait(false))
            {
                onResponse(call.Current);
                lock (resultArrived)
                {
                    if (resultArrived.CurrentCount == 0)
                    {
                        resultArrived.Release();
                    }
                }
            }
        }
    }
}

using System;
using System.Collections.Concurrent;

namespace VRPerception.Core
{
    /// <summary>
    /// Callbacks posted from any thread and run later on one thread, such as
    /// Unity's main thread from MonoBehaviour.Update.
    /// </summary>
    public sealed class CallbackQueue
    {
        private readonly ConcurrentQueue<Action> pending = new ConcurrentQueue<Action>();

        /// <summary>Receives exceptions that callbacks throw, so one failing callback does not stop the rest.</summary>
        public Action<Exception> ErrorHandler { get; set; }

        public int Count
        {
            get { return pending.Count; }
        }

        /// <summary>Queues <paramref name="callback"/>; safe from any thread.</summary>
        public void Post(Action callback)
        {
            if (callback == null)
            {
                throw new ArgumentNullException("callback");
            }
            pending.Enqueue(callback);
        }

        /// <summary>
        /// Runs queued callbacks in posting order, at most <paramref name="maxCallbacks"/>
        /// of them (0 runs all that are queued when the call starts), and returns how many ran.
        /// </summary>
        public int Drain(int maxCallbacks = 0)
        {
            int limit = maxCallbacks > 0 ? maxCallbacks : pending.Count;
            int ran = 0;
            Action callback;
            while (ran < limit && pending.TryDequeue(out callback))
            {
                ran++;
                try
                {
                    callback();
                }
                catch (Exception error)
                {
                    var handler = ErrorHandler;
                    if (handler == null)
                    {
                        throw;
                    }
                    handler(error);
                }
            }
            return ran;
        }
    }
}

// Public stream handles over BidiStream.
#include "stream_core.h"

namespace vrperception {

using HandsStreamCore = BidiStream<v1::TrackHandsRequest, v1::HandsResult>;
using ObjectsStreamCore = BidiStream<v1::TrackObjectsRequest, v1::ObjectsResult>;
using VoiceStreamCore =
    BidiStream<v1::RecognizeCommandsRequest, v1::RecognizeCommandsResponse>;

StreamHandle::StreamHandle(std::shared_ptr<StreamCore> core) : core_(std::move(core)) {}

StreamHandle::~StreamHandle() {
  // A game that stops mid-stream must not wait for the server.
  if (core_) core_->Close(std::chrono::milliseconds(0));
}

void StreamHandle::Close(std::chrono::milliseconds grace) { core_->Close(grace); }
bool StreamHandle::active() const { return core_->active(); }
size_t StreamHandle::pending_messages() const { return core_->pending_messages(); }
uint64_t StreamHandle::client_dropped_frames() const {
  return core_->client_dropped_frames();
}

bool HandTrackingStream::SendFrame(v1::ImageFrame frame) {
  v1::TrackHandsRequest request;
  *request.mutable_frame() = std::move(frame);
  return static_cast<HandsStreamCore*>(core_.get())->Enqueue(std::move(request));
}

bool ObjectTrackingStream::SendFrame(v1::ImageFrame frame) {
  v1::TrackObjectsRequest request;
  *request.mutable_frame() = std::move(frame);
  return static_cast<ObjectsStreamCore*>(core_.get())->Enqueue(std::move(request));
}

bool VoiceCommandStream::SendAudio(std::string audio_bytes) {
  v1::RecognizeCommandsRequest request;
  request.mutable_audio()->set_data(std::move(audio_bytes));
  return static_cast<VoiceStreamCore*>(core_.get())->Enqueue(std::move(request));
}

bool VoiceCommandStream::PushToTalk(bool talking) {
  v1::RecognizeCommandsRequest request;
  request.mutable_push_to_talk()->set_action(talking ? v1::PushToTalk::ACTION_START
                                                     : v1::PushToTalk::ACTION_END);
  return static_cast<VoiceStreamCore*>(core_.get())->Enqueue(std::move(request));
}

bool VoiceCommandStream::ReplaceVocabulary(v1::Vocabulary vocabulary) {
  v1::RecognizeCommandsRequest request;
  *request.mutable_vocabulary() = std::move(vocabulary);
  return static_cast<VoiceStreamCore*>(core_.get())->Enqueue(std::move(request));
}

}  // namespace vrperception

// Packing engine pixel buffers and image files into ImageFrame messages.
//
// Raw buffers are sent unchanged: no per-pixel work on the calling thread,
// the server applies stride, row order and channel order. data is exactly
// row_stride_bytes * height bytes, padding included, row_stride_bytes is 0
// when rows are tightly packed, and row_order names the memory order.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "vrperception/status.h"
#include "vrperception/v1/common.pb.h"

namespace vrperception {

enum class PixelFormat {
  kRgba8,  // R G B A, 4 bytes per pixel (Unity RGBA32, OpenGL read-backs)
  kBgra8,  // B G R A, 4 bytes per pixel (Unreal FColor, D3D read-backs)
  kRgb8,   // R G B, 3 bytes per pixel
  kGray8,  // luminance, 1 byte per pixel
};

int BytesPerPixel(PixelFormat format);

// A pixel buffer as an engine delivers it. The buffer is only read.
struct PixelBufferView {
  const uint8_t* data = nullptr;
  // Bytes readable from data: at least row_stride_bytes * height.
  size_t size_bytes = 0;
  PixelFormat format = PixelFormat::kRgba8;
  uint32_t width = 0;
  uint32_t height = 0;
  // Bytes from the start of one row to the next; 0 means width * bytes per
  // pixel.
  uint32_t row_stride_bytes = 0;
  // True when the first row in memory is the bottom of the image (Unity
  // GetRawTextureData, glReadPixels).
  bool bottom_up = false;
};

// Fills frame's encoding, data, width, height, row_stride_bytes and
// row_order from a raw buffer. Other fields (frame_id, rotation, mirrored,
// intrinsics, ...) are left as they are. Returns INVALID_ARGUMENT, naming
// the field, for a zero size, a stride shorter than a row or a buffer
// shorter than row_stride_bytes * height.
Status PackRawFrame(const PixelBufferView& buffer, v1::ImageFrame* frame);

// Image file type from its first bytes: JPEG, PNG or UNSPECIFIED.
v1::ImageEncoding SniffImageEncoding(const std::string& file_bytes);

// Fills frame's encoding and data from a complete JPEG or PNG file and
// clears the raw-only fields. Returns INVALID_ARGUMENT when the bytes are
// neither JPEG nor PNG.
Status PackEncodedImage(std::string file_bytes, v1::ImageFrame* frame);

// Reads a whole file. Returns NOT_FOUND when it cannot be opened.
Status ReadFileBytes(const std::string& path, std::string* bytes);

}  // namespace vrperception

// Disk usage and filesystems: df, du, lsblk, mount.
#include "rules/template_table.h"

namespace cmdai::rules {
namespace {

// clang-format off
constexpr TemplateRow k_rows[] = {
  {"disk.free", "disk", "disk|space|storage|df|drive|filesystem free|left|available|remaining|df|full|much ?usage|human|readable|format|how|space|disk|have !inode|memory|swap|docker|directory",
   "df -h %{path|?}", "",
   "Shows used and available space on %{path|=every mounted filesystem}, in human-readable units."},
  {"disk.usage_overview", "disk", "disk usage|space ?show|overview !directory|sort*|big|top|each|folder|inode|docker|using|what|why|eat*",
   "df -h", "",
   "Shows used and available space on every mounted filesystem, in human-readable units."},
  {"disk.dir_size", "disk", "size|big|space|much|usage|du|take*|occup* ?directory|how|total|disk|of !each|every|sub*|subdirector*|sort*|top|largest|biggest|file|inode|free|left|container|docker|image $path",
   "du -sh %{path}", "",
   "Shows the total size of %{path} in human-readable units."},
  {"disk.here_size", "disk", "size|big|space|much|usage|du ?directory|how|total|current|this|here !each|every|sub*|subdirector*|sort*|top|file|free|left|inode|docker|container|image|memory|ram|swap|git|repo|log|package",
   "du -sh %{path|=.}", "",
   "Shows the total size of %{path|=.} in human-readable units."},
  {"disk.each_dir", "disk", "each|every|per|sub*|subdirector*|directory|breakdown size|space|usage|big|du ?directory|in|of|much|disk !sort*|top|largest|biggest|most|docker|free|left",
   "du -h -d 1 %{path|=.}", "",
   "Shows the size of each directory directly inside %{path|=.}."},
  {"disk.sorted", "disk", "size|usage|space|big|du sort*|order*|rank* ?directory|disk|by|each|sub*|smallest|first|ascending !biggest|largest|descending|reverse*|decreasing",
   "du -h -d 1 %{path|=.} | sort -h", "",
   "Shows the size of each directory inside %{path|=.}, smallest to largest."},
  {"disk.sorted_descending", "disk", "size|usage|space|big|du biggest|largest|descending|reverse*|decreasing ?sort*|order*|rank*|first|directory|disk|by|each|sub*|dir !top|most",
   "du -h -d 1 %{path|=.} | sort -hr", "",
   "Shows the size of each directory inside %{path|=.}, largest first."},
  {"disk.top_dirs", "disk", "directory|subdirector*|space|disk|usage|du most|big|top|hog*|largest|biggest|eat*|take*|consum* ?space|which|disk|usage !file|memory|cpu|process",
   "du -h -d 1 %{path|=.} | sort -hr | head -n %{count|=10}", "",
   "Lists the %{count|=10} largest directories inside %{path|=.}, biggest first."},
  {"disk.what_uses_space", "disk", "using|usage|eat*|fill*|consum*|hog*|full|taking space|disk|storage ?all|what|why|my !memory|cpu|docker",
   "du -h -d 1 %{path|=.} | sort -hr | head -n %{count|=10}", "",
   "Lists the %{count|=10} largest directories inside %{path|=.}, to see where the space goes."},
  {"disk.inodes", "disk", "inode ?usage|free|left|how|disk|show",
   "df -i %{path|?}", "",
   "Shows used and free inodes per filesystem."},
  {"disk.mounts", "disk", "mount*|mounted|mountpoint ?filesystem|drive|disk|all|list|show|point !unmount|iso|usb",
   "findmnt", "mount",
   "Lists mounted filesystems with their mount points and options."},
  {"disk.block_devices", "disk", "block|disk|drive|partition|device|ssd|hdd|nvme ?device|list|all|attached|connected|show|layout !usage|space|free|left|full|usb|mount",
   "lsblk", "diskutil list",
   "Lists disks and partitions with their sizes and mount points."},
  {"disk.partitions", "disk", "partition|partition-table ?table|list|show|disk",
   "lsblk -f", "diskutil list",
   "Lists partitions with filesystem type, label, UUID and mount point."},
  {"disk.filesystem_type", "disk", "filesystem|fs type|kind|format ?what|disk|partition",
   "df -Th", "df -h",
   "Shows the filesystem type and usage of every mounted filesystem."},
  {"disk.ncdu", "disk", "interactive|browse|explore|ncdu disk|usage|space ?analyzer|analyse|analyze",
   "ncdu %{path|=.}", "",
   "Opens ncdu, an interactive disk usage browser, on %{path|=.}."},
  {"disk.file_sizes_total", "disk", "total|sum|combined|altogether size|space|usage|big ?of|all|file $ext",
   "find %{path|=.} -type f -iname %{glob} -exec du -ch {} + | tail -n 1", "",
   "Adds up the disk usage of every %{glob} file under %{path|=.}."},
  {"disk.file_size", "disk", "size|big|large ?file|how|much|of $file !line|compress|zip",
   "du -h %{files}", "",
   "Shows the disk usage of %{files}."},
  {"disk.mount_iso", "disk", "mount iso|image ?file|read",
   "sudo mount -o loop %{file_ext:.iso,.img} %{path|=/mnt}", "hdiutil mount %{file_ext:.iso,.img}",
   "Mounts the disk image %{file_ext:.iso,.img} at %{path|=/mnt}."},
  {"disk.unmount", "disk", "unmount|umount|eject ?drive|disk|usb|partition $path",
   "umount %{path}", "diskutil unmount %{path}",
   "Unmounts the filesystem at %{path}."},
  {"disk.usb_drives", "disk", "usb drive|stick|disk ?device|list|connected|plugged|mount",
   "lsblk -o NAME,SIZE,TRAN,MOUNTPOINT | grep -w usb", "diskutil list external",
   "Lists disks attached over USB."},
  {"disk.io", "disk", "disk|io|i/o activity|io|throughput|read|write|iostat|load ?usage|stat*|show",
   "iostat -x 1", "iostat 1",
   "Shows disk I/O activity every second (Ctrl-C stops)."},
};
// clang-format on

}  // namespace

std::span<const TemplateRow> disk_templates() { return k_rows; }

}  // namespace cmdai::rules

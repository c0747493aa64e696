// Concepts about networks: addresses, ports, DNS, HTTP, remote machines,
// firewalls and transfers.

#include <array>

#include "semantic/lexicon.h"

namespace cmdai::semantic {
namespace {

constexpr auto k_concepts = std::to_array<ConceptRow>({
    {"network_ports",
     "open ports|listening|which port|port in use|what is using port|ports open|port busy|address already in use",
     "ss|ss -tlnp|netstat|lsof -i|netstat -tulpn|fuser"},
    {"ip_address",
     "ip address|my ip|network address|local address|address of this machine|network interfaces|interface",
     "ip addr|ip a|ifconfig|hostname -I|ip link"},
    {"public_ip", "public ip|external ip|internet address|outside address", "curl ifconfig.me|dig myip|curl ipinfo.io"},
    {"routes", "route|routing table|default gateway|gateway|network path", "ip route|route -n|netstat -r"},
    {"connectivity", "is the internet up|can i reach|reachable|ping|internet down|connection test|no internet|online",
     "ping|ping -c|curl -I|nc -zv"},
    {"trace_route", "trace route|network hops|where packets go|slow network path|hops", "traceroute|mtr|tracepath"},
    {"dns_lookup",
     "mail server|mail servers for a domain|name servers|dns|lookup domain|resolve name|name server|domain "
     "records|what ip is|mx record|txt record",
     "dig|nslookup|host|resolvectl|getent hosts"},
    {"hosts_file", "hosts file|local dns|override domain|static host", "etc hosts|hosts"},
    {"http_request",
     "http request|call api|api request|web request|rest call|post request|send json|request headers|http headers",
     "curl|curl -X|curl -H|httpie|http|wget"},
    {"http_status", "status code|is the site up|website up|check website|response code|server responding",
     "curl -I|curl -o /dev/null -w|http_code|wget --spider"},
    {"download_speed", "internet speed|bandwidth|network speed|how fast is my connection|throughput test",
     "speedtest|iperf3|iperf|curl -w"},
    {"network_usage", "network usage|traffic|bandwidth usage|who is using the network|data usage",
     "iftop|nethogs|nload|vnstat|bmon"},
    {"packet_capture", "capture packets|sniff|packet capture|network traffic dump|inspect packets",
     "tcpdump|wireshark|tshark|ngrep"},
    {"port_scan", "scan ports|port scan|which ports are open on|scan network|find hosts on network",
     "nmap|nc -z|masscan|arp-scan"},
    {"remote_login",
     "log into|sign into server|production box|the box|remote login|log into server|connect to server|remote "
     "shell|remote machine|another machine|log in remotely",
     "ssh|ssh user@|mosh|telnet"},
    {"ssh_keys", "ssh key|key pair|passwordless login|public key|authorized keys|copy key",
     "ssh-keygen|ssh-copy-id|authorized_keys|ssh-add|ssh-agent"},
    {"ssh_tunnel", "tunnel|port forward|forward port|jump host|bastion|socks proxy",
     "ssh -L|ssh -R|ssh -D|ssh -J|autossh"},
    {"remote_copy", "copy to server|copy from server|upload|send file to|transfer file|copy over network|remote copy",
     "scp|rsync|sftp|rsync -avz|rclone"},
    {"ftp", "ftp|file transfer protocol", "ftp|lftp|sftp|curl ftp"},
    {"remote_run", "run on server|run remotely|execute on remote|run on many hosts", "ssh|pssh|ansible|parallel-ssh"},
    {"firewall", "firewall|block port|allow port|open a port|block ip|allow traffic|ban ip",
     "ufw|iptables|nft|firewall-cmd|fail2ban"},
    {"wifi", "wifi|wireless|wlan|connect to network|wireless networks|hotspot", "nmcli|iwconfig|iw|wpa_cli|nmtui"},
    {"network_manager", "network settings|restart network|network config|static ip|dhcp",
     "nmcli|netplan|systemctl restart networking|dhclient|ip"},
    {"vpn", "vpn|private network|wireguard|openvpn", "wg|wg-quick|openvpn|tailscale"},
    {"proxy", "proxy|through proxy|http proxy|behind a proxy", "http_proxy|https_proxy|curl -x|proxychains"},
    {"certificates", "certificate|ssl|tls|https cert|cert expiry|expired certificate|certificate chain",
     "openssl|openssl s_client|openssl x509|certbot|letsencrypt"},
    {"web_server", "web server|serve files|static server|serve this folder|local website|share folder over http",
     "python -m http.server|nginx|apache2|caddy|http.server"},
    {"web_server_config", "reload web server|nginx config|apache config|virtual host",
     "nginx -t|nginx -s reload|apachectl|a2ensite"},
    {"email", "send email|mail|email from command line|smtp", "mail|mailx|sendmail|mutt|swaks"},
    {"socket_tools", "raw socket|send bytes|listen on port|chat over network|netcat", "nc|netcat|socat|ncat"},
    {"whois", "who owns domain|domain owner|domain registration|whois", "whois"},
    {"arp_neighbors", "devices on network|neighbors|mac address|arp table|other computers",
     "arp|ip neigh|arp-scan|nmap -sn"},
    {"network_shares", "network share|shared folder|smb|nfs|samba|windows share",
     "mount -t cifs|smbclient|mount -t nfs|showmount|sshfs"},
    {"websocket", "websocket|ws connection|live connection", "websocat|wscat"},
    {"bandwidth_limit", "limit bandwidth|throttle|slow down download|rate limit",
     "trickle|tc|wondershaper|--limit-rate|bwlimit"},
    {"mirror_site", "mirror website|download whole site|crawl site|offline copy of site",
     "wget -m|wget --mirror|httrack"},
    {"sockets_unix", "unix socket|socket file|local socket", "ss -x|socat|nc -U"},
    {"load_test", "load test|stress test server|many requests|hammer the server", "ab|wrk|hey|siege|vegeta"},
    {"download_resume", "resume download|continue download|interrupted download", "wget -c|curl -C -|aria2c"},
    {"http_auth", "basic auth|bearer token|authenticated request|api with token",
     "curl -u|curl -H Authorization|bearer"},
    {"dns_cache", "flush dns|clear dns cache|dns cache", "resolvectl flush-caches|systemd-resolve|nscd"},
    {"latency", "latency|lag|slow connection|packet loss|ping time", "ping|mtr|traceroute"},
    {"mac_address", "hardware address|network card address|mac of interface", "ip link|ifconfig|macchanger"},
    {"open_connections", "established connections|who is connected|active connections|remote connections",
     "ss -tn|netstat -an|lsof -i"},
});

}  // namespace

std::span<const ConceptRow> network_concepts() { return k_concepts; }

}  // namespace cmdai::semantic

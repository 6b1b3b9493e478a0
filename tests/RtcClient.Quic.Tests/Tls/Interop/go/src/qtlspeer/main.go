// qtlspeer runs one TLS 1.3 handshake for QUIC with quic-go's qtls (Go's crypto/tls with the
// QUIC record layer hooks) and exchanges handshake bytes as text lines on stdin/stdout, so the
// C# TLS stack can be checked against an independent implementation without QUIC packets.
//
// stdin:  DATA <level> <hex>             handshake bytes at level 0 (Initial), 2 (Handshake), 3 (1-RTT)
// stdout: DATA <level> <hex>             handshake bytes to deliver to the peer
//         RSECRET|WSECRET <level> <suite> <hex>
//         DONE <alpn> <transport parameters hex> <suite>
//         ERROR <message>
//
// usage: qtlspeer client <server name> <root cert DER file> <curves: x25519,p256> <tp hex>
//        qtlspeer server <cert DER file> <PKCS#8 key DER file> <curves> <tp hex> [requestcert]
package main

import (
	"bufio"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	qtls "github.com/marten-seemann/qtls-go1-19"
)

type output struct {
	mu sync.Mutex
	w  *bufio.Writer
}

func (o *output) line(format string, args ...interface{}) {
	o.mu.Lock()
	defer o.mu.Unlock()
	fmt.Fprintf(o.w, format+"\n", args...)
	o.w.Flush()
}

type recordLayer struct {
	out        *output
	writeLevel int
	messages   chan []byte
}

func quicLevel(l qtls.EncryptionLevel) int {
	switch l {
	case qtls.EncryptionHandshake:
		return 2
	case qtls.Encryption0RTT:
		return 1
	default:
		return 3
	}
}

func (r *recordLayer) SetReadKey(l qtls.EncryptionLevel, s *qtls.CipherSuiteTLS13, secret []byte) {
	r.out.line("RSECRET %d %04x %x", quicLevel(l), s.ID, secret)
}

func (r *recordLayer) SetWriteKey(l qtls.EncryptionLevel, s *qtls.CipherSuiteTLS13, secret []byte) {
	r.writeLevel = quicLevel(l)
	r.out.line("WSECRET %d %04x %x", quicLevel(l), s.ID, secret)
}

func (r *recordLayer) ReadHandshakeMessage() ([]byte, error) {
	m, ok := <-r.messages
	if !ok {
		return nil, io.EOF
	}
	return m, nil
}

func (r *recordLayer) WriteRecord(b []byte) (int, error) {
	r.out.line("DATA %d %x", r.writeLevel, b)
	return len(b), nil
}

func (r *recordLayer) SendAlert(a uint8) { r.out.line("ALERT %d", a) }

// readInput splits each level's byte stream into whole handshake messages for qtls.
func readInput(messages chan<- []byte) {
	buffers := map[int][]byte{}
	scanner := bufio.NewScanner(os.Stdin)
	scanner.Buffer(make([]byte, 1<<20), 1<<22)
	for scanner.Scan() {
		f := strings.Fields(scanner.Text())
		if len(f) != 3 || f[0] != "DATA" {
			continue
		}
		level, _ := strconv.Atoi(f[1])
		data, err := hex.DecodeString(f[2])
		if err != nil {
			continue
		}
		buf := append(buffers[level], data...)
		for len(buf) >= 4 {
			n := 4 + (int(buf[1])<<16 | int(buf[2])<<8 | int(buf[3]))
			if len(buf) < n {
				break
			}
			messages <- append([]byte(nil), buf[:n]...)
			buf = buf[n:]
		}
		buffers[level] = buf
	}
	close(messages)
}

type fakeConn struct{}

func (fakeConn) Read([]byte) (int, error)         { return 0, io.EOF }
func (fakeConn) Write(b []byte) (int, error)      { return len(b), nil }
func (fakeConn) Close() error                     { return nil }
func (fakeConn) LocalAddr() net.Addr              { return &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)} }
func (fakeConn) RemoteAddr() net.Addr             { return &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)} }
func (fakeConn) SetDeadline(time.Time) error      { return nil }
func (fakeConn) SetReadDeadline(time.Time) error  { return nil }
func (fakeConn) SetWriteDeadline(time.Time) error { return nil }

func curves(s string) []tls.CurveID {
	var ids []tls.CurveID
	for _, c := range strings.Split(s, ",") {
		switch c {
		case "x25519":
			ids = append(ids, tls.X25519)
		case "p256":
			ids = append(ids, tls.CurveP256)
		}
	}
	return ids
}

func main() {
	out := &output{w: bufio.NewWriter(os.Stdout)}
	if len(os.Args) != 6 && len(os.Args) != 7 {
		out.line("ERROR usage")
		os.Exit(2)
	}
	fail := func(err error) {
		out.line("ERROR %s", strings.ReplaceAll(err.Error(), "\n", " "))
		os.Exit(1)
	}
	tp, err := hex.DecodeString(os.Args[5])
	if err != nil {
		fail(err)
	}
	layer := &recordLayer{out: out, messages: make(chan []byte, 16)}
	var peerTP []byte
	extra := &qtls.ExtraConfig{
		GetExtensions: func(uint8) []qtls.Extension { return []qtls.Extension{{Type: 0x39, Data: tp}} },
		ReceivedExtensions: func(_ uint8, exts []qtls.Extension) {
			for _, e := range exts {
				if e.Type == 0x39 {
					peerTP = e.Data
				}
			}
		},
		AlternativeRecordLayer:    layer,
		EnforceNextProtoSelection: true,
	}
	config := &tls.Config{
		MinVersion:             tls.VersionTLS13,
		NextProtos:             []string{"h3"},
		CurvePreferences:       curves(os.Args[4]),
		SessionTicketsDisabled: true,
	}
	var conn *qtls.Conn
	switch os.Args[1] {
	case "client":
		root, err := os.ReadFile(os.Args[3])
		if err != nil {
			fail(err)
		}
		cert, err := x509.ParseCertificate(root)
		if err != nil {
			fail(err)
		}
		pool := x509.NewCertPool()
		pool.AddCert(cert)
		config.RootCAs = pool
		config.ServerName = os.Args[2]
		conn = qtls.Client(fakeConn{}, config, extra)
	case "server":
		certDER, err := os.ReadFile(os.Args[2])
		if err != nil {
			fail(err)
		}
		keyDER, err := os.ReadFile(os.Args[3])
		if err != nil {
			fail(err)
		}
		key, err := x509.ParsePKCS8PrivateKey(keyDER)
		if err != nil {
			fail(err)
		}
		config.Certificates = []tls.Certificate{{Certificate: [][]byte{certDER}, PrivateKey: key}}
		if len(os.Args) == 7 && os.Args[6] == "requestcert" {
			config.ClientAuth = tls.RequestClientCert // asks for a certificate but accepts none
		}
		conn = qtls.Server(fakeConn{}, config, extra)
	default:
		fail(fmt.Errorf("unknown role %q", os.Args[1]))
	}
	go readInput(layer.messages)
	if err := conn.Handshake(); err != nil {
		fail(err)
	}
	state := conn.ConnectionState()
	out.line("DONE %s %x %04x", state.NegotiatedProtocol, peerTP, state.CipherSuite)
}

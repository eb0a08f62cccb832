# SPDX-License-Identifier: GPL-2.0
# bash completion for hotpath(8)

# Ports as the kernel lists them, or every interface if that fails.
_hotpath_devices()
{
	local devs=

	if command -v jq >/dev/null 2>&1; then
		devs=$(hotpath -j show 2>/dev/null | jq -r '.[].ifname' 2>/dev/null)
	fi
	[[ -z $devs ]] && devs=$(ls /sys/class/net 2>/dev/null)
	echo "$devs"
}

_hotpath()
{
	local cur prev words cword
	_init_completion 2>/dev/null || {
		cur=${COMP_WORDS[COMP_CWORD]}
		prev=${COMP_WORDS[COMP_CWORD - 1]}
		words=("${COMP_WORDS[@]}")
		cword=$COMP_CWORD
	}

	local keys="rx-mode tx-push ctpio ctpio-thresh ctpio-max-frame ctpio-underrun-ppm
		rx-usecs rx-frames tx-usecs tx-frames adaptive-rx adaptive-tx busy-poll-fallback-us stats probes
		timing profile link-speed pcie-rtt doorbell pcie-bw dma phy rx-dma desc host-pio-bw phc-drift-ppb"
	local i cmd= cmd_i=0

	for ((i = 1; i < cword; i++)); do
		case ${words[i]} in
		-j|--json) ;;
		*) cmd=${words[i]}; cmd_i=$i; break ;;
		esac
	done

	if [[ -z $cmd ]]; then
		COMPREPLY=($(compgen -W "-j --json -V --version show set stats reset monitor help" -- "$cur"))
		return
	fi

	case $cmd in
	show|reset)
		((cword == cmd_i + 1)) && COMPREPLY=($(compgen -W "$(_hotpath_devices)" -- "$cur"))
		;;
	stats)
		if [[ $prev == --watch ]]; then
			COMPREPLY=($(compgen -W "1 2 5 10" -- "$cur"))
		else
			COMPREPLY=($(compgen -W "--watch $(_hotpath_devices)" -- "$cur"))
		fi
		;;
	set)
		if ((cword == cmd_i + 1)); then
			COMPREPLY=($(compgen -W "$(_hotpath_devices)" -- "$cur"))
		elif (((cword - cmd_i) % 2 == 0)); then
			COMPREPLY=($(compgen -W "$keys" -- "$cur"))
		else
			case $prev in
			rx-mode) COMPREPLY=($(compgen -W "interrupt busy-poll" -- "$cur")) ;;
			tx-push|stats|probes|adaptive-rx|adaptive-tx) COMPREPLY=($(compgen -W "on off" -- "$cur")) ;;
			ctpio) COMPREPLY=($(compgen -W "off ct sf sf-np" -- "$cur")) ;;
			timing) COMPREPLY=($(compgen -W "enforced accounted" -- "$cur")) ;;
			profile) COMPREPLY=($(compgen -W "realistic seed" -- "$cur")) ;;
			link-speed) COMPREPLY=($(compgen -W "1g 10g 25g 40g 100g" -- "$cur")) ;;
			esac
		fi
		;;
	esac
}
complete -F _hotpath hotpath

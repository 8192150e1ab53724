# bash completion for fanotop                               -*- shell-script -*-
# Installed as $(datadir)/bash-completion/completions/fanotop; needs the
# bash-completion package. tests/completion.sh checks these lists against
# the binary (--help, the sort columns of each view) and the filter fields.

_fanotop_views='paths processes types units events tree'
_fanotop_types='open access modify close_write close_nowrite open_exec attrib
    create delete moved_from moved_to delete_self move_self'
_fanotop_groups='read write dir close move exec all'
_fanotop_fields='path comm exe cmd user unit container type pid'

# The sort columns of view $1 (the start view, paths, when none was given).
_fanotop_columns()
{
    case $1 in
        processes) echo 'pid comm user unit exe events files last rate' ;;
        types) echo 'type events share rate' ;;
        units) echo 'unit events procs files last' ;;
        events) echo 'time pid tid comm user unit event path' ;;
        tree) echo 'path events files last' ;;
        *) echo "path events $_fanotop_types procs last rate" ;;
    esac
}

_fanotop()
{
    # Everything after "--" is the followed command and its own arguments.
    local i
    for ((i = 1; i < COMP_CWORD; i++)); do
        if [[ ${COMP_WORDS[i]} == -- ]]; then
            _command_offset $((i + 1))
            return
        fi
    done

    local cur prev words cword split
    _init_completion -s -n : || return

    case $prev in
        -v | --view)
            COMPREPLY=($(compgen -W "$_fanotop_views" -- "$cur"))
            return
            ;;
        -s | --sort)
            local view=paths
            for ((i = 1; i < cword; i++)); do
                case ${words[i]} in
                    -v | --view) view=${words[i + 1]} ;;
                    --view=*) view=${words[i]#--view=} ;;
                    -v?*) view=${words[i]#-v} ;;
                esac
            done
            COMPREPLY=($(compgen -W "$(_fanotop_columns "$view")" -- "$cur"))
            return
            ;;
        -e | --events)
            # A comma-separated list: complete its last item.
            local done_items=
            [[ $cur == *,* ]] && done_items=${cur%,*},
            COMPREPLY=($(compgen -P "$done_items" \
                -W "$_fanotop_types $_fanotop_groups" -- "${cur##*,}"))
            return
            ;;
        -f | --filter)
            # A term is a regex on the path or field:regex; "!" negates it.
            # Inside an opening quote, readline replaces the whole word, colon
            # included, and closes the quote itself.
            local quoted=
            [[ $cur == [\'\"]* ]] && quoted=yes cur=${cur:1}
            local term=${cur#!}
            case $term in
                type:*)
                    COMPREPLY=($(compgen -P "${cur%%:*}:" \
                        -W "$_fanotop_types" -- "${term#type:}"))
                    ;;
                user:*)
                    COMPREPLY=($(compgen -P "${cur%%:*}:" -u -- "${term#user:}"))
                    ;;
                *:*) ;;
                *)
                    COMPREPLY=($(compgen -P "${cur%"$term"}" -S : \
                        -W "$_fanotop_fields" -- "$term"))
                    compopt -o nospace
                    ;;
            esac
            [[ $quoted ]] || __ltrim_colon_completions "$cur"
            return
            ;;
        --record | -r | --replay)
            # "-" is stdout for --record, stdin for --replay.
            _filedir
            [[ - == "$cur"* ]] && COMPREPLY+=(-)
            return
            ;;
        --format)
            COMPREPLY=($(compgen -W 'csv jsonl table' -- "$cur"))
            return
            ;;
        -u | --user)
            COMPREPLY=($(compgen -u -- "$cur"))
            return
            ;;
        -p | --pid)
            _pids
            return
            ;;
        --ring-size)
            COMPREPLY=($(compgen -W '16 32 64 128 256 512 1024' -- "$cur"))
            return
            ;;
        -d | --delay | --duration | --count | -n | --iterations | --replay-speed | \
            --max-rows | --log-depth)
            return
            ;;
    esac
    $split && return

    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W '--mount --filesystem --events= --unlimited-queue
            --ring-size= --verbose --user= --pid= --stop-at-exit --record= --format= --duration=
            --count= --replay= --replay-speed= --batch --iterations= --csv-raw
            --filter= --view= --sort= --delay= --no-mouse --no-color --no-config
            --max-rows= --log-depth= --help --help-keys --version --' -- "$cur"))
        [[ ${COMPREPLY-} == *= ]] && compopt -o nospace
        return
    fi

    _filedir
} &&
    complete -F _fanotop fanotop

# ex: filetype=sh
